package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.secure.EncryptionMode;
import simplebt.secure.PeerSecurityMemory;
import simplebt.secure.PeerSecurityMemory.Plan;
import simplebt.secure.SecureChannel;
import simplebt.secure.SecureChannelException;
import simplebt.secure.SecureChannelException.Kind;
import simplebt.secure.SecureStreams;
import simplebt.secure.SwarmKey;

/**
 * Outgoing connections under {@code --encryption} (issue 7, docs/secure-channel.md).
 * {@code required}: secure only. {@code preferred}: secure first for peers that are likely our
 * nodes, plain straight away for the rest, so that a standard client does not cost a handshake
 * timeout per dial. A {@code --peer} peer that does not answer the secure prefix is reconnected
 * plain and remembered as plain (the user may have named a standard client). A peer our tracker
 * lists as one of our nodes ({@code sbt peers}) is never reached plain in {@code preferred}
 * mode: if its greeting fails (an attacker on the path can reset it), the dial fails, is
 * retried secure with the dialer's back-off, and the user is told (issue 14).
 *
 * <p>The swarm secret arrives with the first announce: a secure dial waits for it (a while),
 * see {@link SwarmKeyHolder}; {@code preferred} then goes plain, {@code required} fails the dial.
 */
final class SecureConnector implements PeerConnector {
    static final Duration HANDSHAKE_TIMEOUT = SecureChannel.DEFAULT_TIMEOUT;
    /** How long a dial waits for the first announce to bring the swarm secret. */
    static final Duration KEY_WAIT = Duration.ofSeconds(10);

    private final EncryptionMode mode;
    private final InfoHash infoHash;
    private final SwarmKeyHolder key;
    private final Predicate<InetSocketAddress> userGiven;
    private final Predicate<InetSocketAddress> listedAsOurs;
    private final PeerSecurityMemory memory;
    private final PeerConnector plain;

    /**
     * @param userGiven    peers named with {@code --peer}: secure first, plain if they do not answer
     * @param listedAsOurs peers the tracker's last reply listed in {@code sbt peers}: secure only
     */
    SecureConnector(EncryptionMode mode, InfoHash infoHash, SwarmKeyHolder key, Predicate<InetSocketAddress> userGiven,
                    Predicate<InetSocketAddress> listedAsOurs, PeerSecurityMemory memory, PeerConnector plain) {
        this.mode = mode;
        this.infoHash = infoHash;
        this.key = key;
        this.userGiven = userGiven;
        this.listedAsOurs = listedAsOurs;
        this.memory = memory;
        this.plain = plain;
    }

    @Override
    public PeerStreams connect(InetSocketAddress peer) throws IOException {
        Plan plan = memory.plan(infoHash, peer, mode);
        if (plan != Plan.SKIP && mode == EncryptionMode.PREFERRED && listedAsOurs.test(peer)) {
            plan = Plan.SECURE_ONLY; // one of our nodes: a failed greeting is an attack or an outage, not a standard client
        } else if (plan == Plan.SECURE_THEN_PLAIN && !userGiven.test(peer)) {
            plan = Plan.PLAIN;
        }
        Optional<SwarmKey> swarm = Optional.empty();
        if (plan == Plan.SECURE_ONLY || plan == Plan.SECURE_THEN_PLAIN) {
            swarm = awaitKey();
            if (swarm.isEmpty() && plan == Plan.SECURE_ONLY) {
                throw new IOException("no swarm key yet: the tracker has not answered (its reply carries the swarm secret)");
            }
            if (swarm.isEmpty()) {
                Log.debug("secure: no swarm key yet (tracker silent); connecting to " + peer + " plain");
                plan = Plan.PLAIN;
            }
        }
        return switch (plan) {
            case SKIP -> throw new IOException(mode == EncryptionMode.REQUIRED
                    ? "skipped: a plain peer or failed authentication earlier, and --encryption is required"
                    : "skipped: failed authentication earlier");
            case PLAIN -> plain.connect(peer);
            case SECURE_ONLY, SECURE_THEN_PLAIN -> secure(peer, swarm.orElseThrow(), plan == Plan.SECURE_THEN_PLAIN);
        };
    }

    private Optional<SwarmKey> awaitKey() throws IOException {
        try {
            return key.await(KEY_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the swarm key");
        }
    }

    private PeerStreams secure(InetSocketAddress peer, SwarmKey swarm, boolean fallback) throws IOException {
        Socket socket = PlainTransport.open(peer);
        try {
            SecureStreams s = SecureChannel.connect(socket, swarm, HANDSHAKE_TIMEOUT); // closes the socket on failure
            memory.secureWorked(swarm.infoHash(), peer);
            // buffered like the acceptor's side: the connection reads message headers a few bytes at a time
            return new PeerStreams(new BufferedInputStream(s.in(), PlainTransport.STREAM_BUFFER), s.out(), s, peer);
        } catch (SecureChannelException e) {
            boolean ours = mode == EncryptionMode.PREFERRED && listedAsOurs.test(peer);
            if (!ours || e.peerUntrusted()) {
                memory.secureFailed(swarm.infoHash(), peer, e); // not "plain" for one of ours: that is the attack
            }
            if (e.kind() != Kind.NO_ANSWER) {
                throw e;
            }
            if (ours) {
                Log.warn("peer " + peer + " is one of our nodes (our tracker says so) but its secure greeting failed ("
                        + e.getMessage() + "); not falling back to plain, will retry secure");
                throw e;
            }
            if (fallback) {
                Log.debug("secure: " + peer + " did not answer the secure prefix; reconnecting plain");
                return plain.connect(peer);
            }
            Log.info("refusing peer " + peer + ": it does not speak the secure channel (a standard BitTorrent client?)"
                    + " and --encryption is required");
            throw e;
        }
    }
}
