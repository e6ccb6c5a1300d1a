package simplebt.mse;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;

/**
 * Runs an MSE handshake on a connected socket under one deadline, and returns the payload streams.
 * On failure the socket is closed, one debug line is logged, and the {@link MseException} says why.
 * After the handshake the socket's previous read timeout is back.
 */
public final class MseSocket {
    /** Like our secure channel's: long enough for a slow peer, short enough to fall back quickly. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** What we offer when we connect: the peer picks (both are common; a peer set to "require" picks RC4). */
    public static final Set<CryptoMethod> OFFER = EnumSet.of(CryptoMethod.PLAINTEXT, CryptoMethod.RC4);

    private static final SecureRandom RANDOM = new SecureRandom(); // thread-safe; private keys and pads

    private MseSocket() {
    }

    /** Side A, right after connecting. */
    public static MseConnection connect(Socket socket, InfoHash skey, Duration timeout, int bufferSize) throws IOException {
        try {
            int oldTimeout = socket.getSoTimeout();
            InputStream raw = socket.getInputStream();
            MseResult r = MseInitiator.connect(new DeadlineInputStream(raw, socket, deadline(timeout)),
                    socket.getOutputStream(), skey, OFFER, RANDOM);
            socket.setSoTimeout(oldTimeout);
            Log.debug("mse: connected to " + socket.getRemoteSocketAddress() + ", " + r.method());
            return new MseConnection(r.infoHash(), r.method(), r.input(raw), r.output(socket.getOutputStream(), bufferSize));
        } catch (IOException | RuntimeException e) {
            Log.debug("mse: connect to " + socket.getRemoteSocketAddress() + " failed: " + e.getMessage());
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * Side B. {@code in} is the socket's input with whatever the listener already read put back
     * in front (nothing consumed).
     */
    public static MseConnection accept(Socket socket, InputStream in, TorrentLookup lookup, Set<CryptoMethod> accept,
                                       Duration timeout, int bufferSize) throws IOException {
        try {
            int oldTimeout = socket.getSoTimeout();
            MseResult r = MseResponder.accept(new DeadlineInputStream(in, socket, deadline(timeout)),
                    socket.getOutputStream(), lookup, accept, RANDOM);
            socket.setSoTimeout(oldTimeout);
            Log.debug("mse: accepted " + socket.getRemoteSocketAddress() + " for " + r.infoHash().hex() + ", " + r.method());
            return new MseConnection(r.infoHash(), r.method(), r.input(in), r.output(socket.getOutputStream(), bufferSize));
        } catch (IOException | RuntimeException e) {
            Log.debug("mse: handshake from " + socket.getRemoteSocketAddress() + " failed: " + e.getMessage());
            closeQuietly(socket);
            throw e;
        }
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already going away
        }
    }
}
