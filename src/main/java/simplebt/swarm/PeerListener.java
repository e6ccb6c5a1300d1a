package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import simplebt.log.Log;
import simplebt.wire.Handshake;

/**
 * Accepts incoming peers. Peeks at the first 20 bytes: 0x13 "BitTorrent protocol" is the plain
 * handshake and goes to {@code plain}; anything else goes to the {@link ForeignHandler} (the
 * secure channel, or close). The peek does not consume: the handshake is read again by the
 * connection. Owns the server socket and its accept thread; {@link #close()} stops both.
 * A connection that does not send its first bytes within {@code PEEK_TIMEOUT_MS} is closed.
 */
public final class PeerListener implements AutoCloseable {
    private static final byte[] PLAIN_PREFIX = ("\u0013" + "BitTorrent protocol").getBytes(StandardCharsets.ISO_8859_1);
    private static final int PEEK_TIMEOUT_MS = 10_000;

    private final ServerSocket server;
    private final Consumer<PeerStreams> plain;
    private final ForeignHandler foreign;
    private final Thread acceptor;
    /** Sockets still being peeked at; closed with the listener so no thread lingers. */
    private final Set<Socket> peeking = ConcurrentHashMap.newKeySet();

    public PeerListener(InetAddress bind, int port, Consumer<PeerStreams> plain, ForeignHandler foreign) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.setReceiveBufferSize(PlainTransport.SOCKET_BUFFER);
        try {
            server.bind(new InetSocketAddress(bind, port), 64);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.plain = plain;
        this.foreign = foreign;
        this.acceptor = Thread.ofVirtual().name("listener-" + server.getLocalPort()).start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                peeking.add(socket);
                // The peek runs on a cheap virtual thread with a small buffer: a connection that
                // never sends its handshake must not cost a platform thread and a 256 KiB buffer.
                Thread.ofVirtual().name("incoming-" + socket.getRemoteSocketAddress()).start(() -> dispatch(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    Log.debug("accept failed: " + e);
                }
            }
        }
    }

    /**
     * Reads the first bytes within one overall deadline: the whole 68-byte handshake on the
     * plain path (the remote speaks first on an incoming connection, BEP 3), else the 20 bytes
     * the secure channel's greeting starts with. A peer that dribbles a byte at a time cannot
     * stretch the deadline. Only then does the connection get its own thread ({@link PeerThreads}).
     */
    private void dispatch(Socket socket) {
        try {
            PlainTransport.tune(socket);
            InputStream raw = socket.getInputStream();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PEEK_TIMEOUT_MS);
            byte[] head = readBefore(socket, raw, PLAIN_PREFIX.length, deadline);
            boolean isPlain = Arrays.equals(head, PLAIN_PREFIX);
            if (isPlain) {
                byte[] rest = readBefore(socket, raw, Handshake.LENGTH - PLAIN_PREFIX.length, deadline);
                byte[] all = Arrays.copyOf(head, Handshake.LENGTH);
                System.arraycopy(rest, 0, all, PLAIN_PREFIX.length, rest.length);
                head = all;
            }
            socket.setSoTimeout(PlainTransport.READ_TIMEOUT_MS);
            peeking.remove(socket);
            byte[] first = head;
            PeerThreads.start("peer-" + socket.getRemoteSocketAddress(), () -> handOff(socket, raw, first, isPlain));
        } catch (IOException | RuntimeException e) {
            Log.debug("incoming connection from " + socket.getRemoteSocketAddress() + " dropped: " + e);
            closeQuietly(socket);
        } finally {
            peeking.remove(socket);
        }
    }

    private void handOff(Socket socket, InputStream raw, byte[] first, boolean isPlain) {
        try {
            // Nothing consumed, as far as the connection can tell: the bytes read come first.
            BufferedInputStream in = new BufferedInputStream(
                    new SequenceInputStream(new ByteArrayInputStream(first), raw), PlainTransport.STREAM_BUFFER);
            if (isPlain) {
                plain.accept(PlainTransport.streams(socket, in));
            } else {
                foreign.handle(socket, in, plain);
            }
        } catch (IOException | RuntimeException e) {
            Log.debug("incoming connection from " + socket.getRemoteSocketAddress() + " dropped: " + e);
            closeQuietly(socket);
        }
    }

    private static byte[] readBefore(Socket socket, InputStream in, int n, long deadline) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no handshake within " + PEEK_TIMEOUT_MS + " ms");
            }
            socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            int r = in.read(b, got, n - got);
            if (r < 0) {
                throw new EOFException("closed before the handshake");
            }
            got += r;
        }
        return b;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already going away
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            Log.debug("closing listener: " + e);
        }
        peeking.forEach(PeerListener::closeQuietly);
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
