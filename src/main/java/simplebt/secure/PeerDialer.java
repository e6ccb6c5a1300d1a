package simplebt.secure;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import simplebt.log.Log;
import simplebt.secure.PeerSecurityMemory.Plan;
import simplebt.secure.SecureChannelException.Kind;

/**
 * Opens an outgoing peer connection the way the {@code --encryption} mode asks, with the
 * fallback of {@code preferred}: try secure; if the peer does not answer our prefix (a standard
 * client closes, or waits silently for an MSE key), close, reconnect plain, and remember that
 * the peer is plain. Both kinds of connection come back as buffered streams with the same
 * contract: write freely, {@code flush()} when there is nothing more to send for now.
 */
public final class PeerDialer {
    /** An open connection; the caller owns it and must close it. */
    public record Connection(InputStream in, OutputStream out, boolean secure, Closeable transport) implements Closeable {
        @Override
        public void close() throws IOException {
            transport.close();
        }
    }

    private static final int PLAIN_BUFFER = 64 * 1024;

    private final PeerSecurityMemory memory;
    private final EncryptionMode mode;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;

    public PeerDialer(PeerSecurityMemory memory, EncryptionMode mode, Duration connectTimeout, Duration handshakeTimeout) {
        this.memory = memory;
        this.mode = mode;
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
    }

    /**
     * Connects to {@code peer} for {@code swarm}. Throws SecureChannelException when the
     * peer is skipped (untrusted, or plain while secure is required) or the secure handshake
     * fails in a way that must not fall back; plain IOException when TCP fails.
     */
    public Connection dial(InetSocketAddress peer, SwarmKey swarm) throws IOException {
        Plan plan = memory.plan(swarm.infoHash(), peer, mode);
        return switch (plan) {
            case SKIP -> throw new SecureChannelException(Kind.NOT_SECURE,
                    "not connecting to " + peer + ": untrusted, or plain while encryption is required");
            case PLAIN -> plain(peer);
            case SECURE_ONLY, SECURE_THEN_PLAIN -> secureOrFallback(peer, swarm, plan == Plan.SECURE_THEN_PLAIN);
        };
    }

    private Connection secureOrFallback(InetSocketAddress peer, SwarmKey swarm, boolean fallback) throws IOException {
        try {
            Connection c = secure(peer, swarm);
            memory.secureWorked(swarm.infoHash(), peer);
            return c;
        } catch (SecureChannelException e) {
            memory.secureFailed(swarm.infoHash(), peer, e);
            if (fallback && e.kind() == Kind.NO_ANSWER) {
                Log.debug("secure: " + peer + " did not answer the secure prefix; reconnecting plain");
                return plain(peer);
            }
            throw e;
        }
    }

    private Connection secure(InetSocketAddress peer, SwarmKey swarm) throws IOException {
        SecureStreams s = SecureChannel.connect(open(peer), swarm, handshakeTimeout);
        return new Connection(s.in(), s.out(), true, s);
    }

    private Connection plain(InetSocketAddress peer) throws IOException {
        Socket socket = open(peer);
        return new Connection(new BufferedInputStream(socket.getInputStream(), PLAIN_BUFFER),
                new BufferedOutputStream(socket.getOutputStream(), PLAIN_BUFFER), false, socket);
    }

    private Socket open(InetSocketAddress peer) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(peer, (int) connectTimeout.toMillis());
            socket.setTcpNoDelay(true); // both kinds of stream batch their own writes
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
