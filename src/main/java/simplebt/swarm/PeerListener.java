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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import simplebt.log.Log;
import simplebt.wire.Handshake;

/**
 * Accepts incoming peers. Peeks at the first 20 bytes: 0x13 "BitTorrent protocol" is the plain
 * handshake and goes to {@code plain}; anything else goes to the {@link ForeignHandler} (the
 * secure channel, or close). The peek does not consume: the handshake is read again by the
 * connection. Owns the server socket and its accept thread; {@link #close()} stops both.
 * Until its handshake is done (the plain 68 bytes, or the secure greeting and the handshake
 * inside it) a connection runs on a cheap virtual thread under {@link PendingHandshakes}: one
 * deadline for the whole handshake, and a cap on how many are in progress. Only then does it get
 * a peer thread and its big buffers.
 */
public final class PeerListener implements AutoCloseable {
    private static final byte[] PLAIN_PREFIX = ("\u0013" + "BitTorrent protocol").getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSocket server;
    private final Consumer<PeerStreams> plain;
    private final ForeignHandler foreign;
    private final Thread acceptor;
    /** Connections still in their handshake; closed with the listener so no thread lingers. */
    private final PendingHandshakes pending;

    public PeerListener(InetAddress bind, int port, Consumer<PeerStreams> plain, ForeignHandler foreign) throws IOException {
        this(bind, port, plain, foreign, PendingHandshakes.Limits.DEFAULT);
    }

    /** @param limits the handshake deadline and caps (tests make them small) */
    PeerListener(InetAddress bind, int port, Consumer<PeerStreams> plain, ForeignHandler foreign,
                 PendingHandshakes.Limits limits) throws IOException {
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
        this.pending = new PendingHandshakes(limits, String.valueOf(server.getLocalPort()));
        this.acceptor = Thread.ofVirtual().name("listener-" + server.getLocalPort()).start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                pending.admit(socket); // at a cap, the oldest handshake in progress is closed
                // The handshake runs on a cheap virtual thread with small buffers: a connection that
                // never completes it must not cost a platform thread and a 256 KiB buffer.
                Thread.ofVirtual().name("incoming-" + socket.getRemoteSocketAddress()).start(() -> dispatch(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    Log.debug("accept failed: " + e);
                }
            }
        }
    }

    /**
     * Reads the first bytes within the handshake deadline: the whole 68-byte handshake on the
     * plain path (the remote speaks first on an incoming connection, BEP 3), else the 20 bytes
     * the secure channel's greeting starts with, and then lets the foreign handler run the rest
     * of its handshake on this thread; {@link PendingHandshakes} closes the socket if the
     * deadline passes first. A peer that dribbles a byte at a time cannot stretch the deadline.
     * Only then does the connection get its own thread ({@link PeerThreads}).
     */
    private void dispatch(Socket socket) {
        try {
            PlainTransport.tune(socket);
            InputStream raw = socket.getInputStream();
            long deadline = System.nanoTime() + pending.limits().deadline().toNanos();
            byte[] head = readBefore(socket, raw, PLAIN_PREFIX.length, deadline);
            boolean isPlain = Arrays.equals(head, PLAIN_PREFIX);
            if (isPlain) {
                byte[] rest = readBefore(socket, raw, Handshake.LENGTH - PLAIN_PREFIX.length, deadline);
                byte[] all = Arrays.copyOf(head, Handshake.LENGTH);
                System.arraycopy(rest, 0, all, PLAIN_PREFIX.length, rest.length);
                head = all;
            }
            socket.setSoTimeout(PlainTransport.READ_TIMEOUT_MS);
            // Nothing consumed, as far as the next reader can tell: the bytes read come first.
            InputStream replayed = new SequenceInputStream(new ByteArrayInputStream(head), raw);
            if (isPlain) {
                pending.done(socket);
                PeerThreads.start("peer-" + socket.getRemoteSocketAddress(),
                        () -> runPlain(socket, new BufferedInputStream(replayed, PlainTransport.STREAM_BUFFER)));
            } else {
                foreign.handle(socket, replayed, streams -> {
                    pending.done(socket);
                    PeerThreads.start("peer-" + streams.remote(), () -> plain.accept(streams));
                });
            }
        } catch (IOException | RuntimeException e) {
            Log.debug("incoming connection from " + socket.getRemoteSocketAddress() + " dropped: " + e);
            closeQuietly(socket);
        } finally {
            pending.done(socket);
        }
    }

    private void runPlain(Socket socket, InputStream in) {
        try {
            plain.accept(PlainTransport.streams(socket, in));
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
                throw new SocketTimeoutException("no handshake before the deadline");
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
        PendingHandshakes.closeQuietly(socket);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            Log.debug("closing listener: " + e);
        }
        pending.close();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
