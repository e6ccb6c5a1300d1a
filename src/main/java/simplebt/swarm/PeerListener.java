package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import simplebt.cli.Log;

/**
 * Accepts incoming peers. Peeks at the first 20 bytes: 0x13 "BitTorrent protocol" is the plain
 * handshake and goes to {@code plain}; anything else goes to the {@link ForeignHandler} (the
 * secure channel, or close). The peek does not consume: the handshake is read again by the
 * connection. Owns the server socket and its accept thread; {@link #close()} stops both.
 */
public final class PeerListener implements AutoCloseable {
    private static final byte[] PLAIN_PREFIX = ("\u0013" + "BitTorrent protocol").getBytes(StandardCharsets.ISO_8859_1);
    private static final int PEEK_TIMEOUT_MS = 10_000;

    private final ServerSocket server;
    private final Consumer<PeerStreams> plain;
    private final ForeignHandler foreign;
    private final Thread acceptor;

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
                Thread.ofVirtual().name("incoming-" + socket.getRemoteSocketAddress()).start(() -> dispatch(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    Log.debug("accept failed: " + e);
                }
            }
        }
    }

    private void dispatch(Socket socket) {
        try {
            PlainTransport.tune(socket);
            socket.setSoTimeout(PEEK_TIMEOUT_MS);
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream(), PlainTransport.STREAM_BUFFER);
            in.mark(PLAIN_PREFIX.length);
            byte[] head = in.readNBytes(PLAIN_PREFIX.length);
            in.reset();
            socket.setSoTimeout(PlainTransport.READ_TIMEOUT_MS);
            if (Arrays.equals(head, PLAIN_PREFIX)) {
                plain.accept(PlainTransport.streams(socket, in));
            } else {
                foreign.handle(socket, in, plain);
            }
        } catch (IOException | RuntimeException e) {
            Log.debug("incoming connection from " + socket.getRemoteSocketAddress() + " dropped: " + e);
            closeQuietly(socket);
        }
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
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
