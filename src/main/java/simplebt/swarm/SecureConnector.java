package simplebt.swarm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import simplebt.cli.Log;
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
 * <p>The swarm secret arrives with the first announce. Until then ({@code keySettled} false) a
 * peer that does not answer may simply hold the secret we lack, so that answer is not remembered.
 */
final class SecureConnector implements PeerConnector {
    static final Duration HANDSHAKE_TIMEOUT = SecureChannel.DEFAULT_TIMEOUT;

    private final EncryptionMode mode;
    private final Supplier<SwarmKey> key;
    private final BooleanSupplier keySettled;
    private final Predicate<InetSocketAddress> likelyOurNode;
    private final PeerSecurityMemory memory;
    private final PeerConnector plain;

    SecureConnector(EncryptionMode mode, Supplier<SwarmKey> key, BooleanSupplier keySettled,
                    Predicate<InetSocketAddress> likelyOurNode, PeerSecurityMemory memory, PeerConnector plain) {
        this.mode = mode;
        this.key = key;
        this.keySettled = keySettled;
        this.likelyOurNode = likelyOurNode;
        this.memory = memory;
        this.plain = plain;
    }

    @Override
    public PeerStreams connect(InetSocketAddress peer) throws IOException {
        SwarmKey swarm = key.get();
        Plan plan = memory.plan(swarm.infoHash(), peer, mode);
        if (plan == Plan.SECURE_THEN_PLAIN && !likelyOurNode.test(peer)) {
            plan = Plan.PLAIN;
        }
        return switch (plan) {
            case SKIP -> throw new IOException(mode == EncryptionMode.REQUIRED
                    ? "skipped: a plain peer or failed authentication earlier, and --encryption is required"
                    : "skipped: failed authentication earlier");
            case PLAIN -> plain.connect(peer);
            case SECURE_ONLY, SECURE_THEN_PLAIN -> secure(peer, swarm, plan == Plan.SECURE_THEN_PLAIN);
        };
    }

    private PeerStreams secure(InetSocketAddress peer, SwarmKey swarm, boolean fallback) throws IOException {
        Socket socket = PlainTransport.open(peer);
        try {
            SecureStreams s = SecureChannel.connect(socket, swarm, HANDSHAKE_TIMEOUT); // closes the socket on failure
            memory.secureWorked(swarm.infoHash(), peer);
            return new PeerStreams(s.in(), s.out(), s, peer.toString());
        } catch (SecureChannelException e) {
            boolean settled = keySettled.getAsBoolean();
            if (settled || e.kind() != Kind.NO_ANSWER) {
                memory.secureFailed(swarm.infoHash(), peer, e);
            }
            if (e.kind() != Kind.NO_ANSWER) {
                throw e;
            }
            if (fallback) {
                Log.debug("secure: " + peer + " did not answer the secure prefix; reconnecting plain");
                return plain.connect(peer);
            }
            if (settled) {
                Log.info("refusing peer " + peer + ": it does not speak the secure channel (a standard BitTorrent client?)"
                        + " and --encryption is required");
            }
            throw e;
        }
    }
}
