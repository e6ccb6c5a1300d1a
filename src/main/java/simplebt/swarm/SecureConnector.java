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
import simplebt.secure.CipherWarmUp;
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
 * nodes ({@code --peer} peers and the tracker's {@code sbt peers}), plain straight away for the
 * rest, so that a standard client does not cost a handshake timeout per dial; when a likely
 * node does not answer the secure prefix, reconnect plain and remember that it is plain.
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
    private final Predicate<InetSocketAddress> likelyOurNode;
    private final PeerSecurityMemory memory;
    private final PeerConnector plain;

    SecureConnector(EncryptionMode mode, InfoHash infoHash, SwarmKeyHolder key, Predicate<InetSocketAddress> likelyOurNode,
                    PeerSecurityMemory memory, PeerConnector plain) {
        this.mode = mode;
        this.infoHash = infoHash;
        this.key = key;
        this.likelyOurNode = likelyOurNode;
        this.memory = memory;
        this.plain = plain;
        // A session that may speak the channel has it compiled before its first records (see CipherWarmUp).
        CipherWarmUp.start();
    }

    @Override
    public PeerStreams connect(InetSocketAddress peer) throws IOException {
        Plan plan = memory.plan(infoHash, peer, mode);
        if (plan == Plan.SECURE_THEN_PLAIN && !likelyOurNode.test(peer)) {
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
            return new PeerStreams(new BufferedInputStream(s.in(), PlainTransport.STREAM_BUFFER), s.out(), s, peer.toString());
        } catch (SecureChannelException e) {
            memory.secureFailed(swarm.infoHash(), peer, e);
            if (e.kind() != Kind.NO_ANSWER) {
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
