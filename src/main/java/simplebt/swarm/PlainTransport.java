package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;

/** Plain TCP: socket options for bulk transfer and big buffered streams around the socket. */
public final class PlainTransport implements PeerConnector {
    /**
     * Each way, per connection. 64 KiB still moves four blocks per system call; 256 KiB cost a
     * seeder with 50 connections 25 MiB of heap for buffers that sit mostly idle.
     */
    public static final int STREAM_BUFFER = 64 * 1024;
    static final int SOCKET_BUFFER = 4 * 1024 * 1024;
    static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Peers send a keep-alive at least every two minutes (BEP 3); allow some slack. */
    static final int READ_TIMEOUT_MS = 180_000;

    @Override
    public PeerStreams connect(InetSocketAddress address) throws IOException {
        Socket socket = open(address);
        try {
            return streams(socket, socket.getInputStream());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A connected socket with our options; for transports (the secure channel) that wrap it. */
    public static Socket open(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            tune(socket);
            socket.connect(address, CONNECT_TIMEOUT_MS);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Socket options for bulk transfer: no Nagle (we coalesce), big buffers, a read deadline. */
    public static void tune(Socket socket) throws SocketException {
        socket.setTcpNoDelay(true); // we coalesce ourselves (flush when the outbox drains); Nagle would hold requests back
        socket.setReceiveBufferSize(SOCKET_BUFFER);
        socket.setSendBufferSize(SOCKET_BUFFER);
        socket.setSoTimeout(READ_TIMEOUT_MS);
    }

    /** Wraps a connected socket; {@code in} may already be a buffered stream over it. */
    public static PeerStreams streams(Socket socket, InputStream in) throws IOException {
        InputStream buffered = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, STREAM_BUFFER);
        return new PeerStreams(buffered, new BufferedOutputStream(socket.getOutputStream(), STREAM_BUFFER), socket,
                (InetSocketAddress) socket.getRemoteSocketAddress());
    }
}
