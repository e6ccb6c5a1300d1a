package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SocketChannel;

/**
 * Plain TCP: socket options for bulk transfer and big buffered streams around the socket.
 * <p>
 * With {@code -Dsimplebt.sendfile=true}, sockets are made from {@link SocketChannel}s (blocking;
 * everything else uses their stream adaptors) and a plain connection's uploads go from the file
 * to the socket without passing through Java ({@link PeerStreams#plainChannel}, sendfile). Off by
 * default: with 16 KiB blocks it costs more than it saves. Each block then takes its own header
 * write and sendfile (and the JDK adds a failing copy_file_range and an fstat to each), about five
 * system calls where the copying path makes one 64 KiB write per four blocks; on the benchmark
 * VM that was 0.3 s more system time per GiB on the seeder than the copies it saved
 * (bench/profile/NOTES.md, "Fifth look").
 */
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
    /** Uploads from file to socket by sendfile (see the class comment); the benchmark compares both. */
    static final boolean SENDFILE = "true".equals(System.getProperty("simplebt.sendfile"));

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
        Socket socket = newSocket();
        try {
            tune(socket);
            socket.connect(address, CONNECT_TIMEOUT_MS);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A socket from a channel when uploads may use sendfile, else a classic one (no change to anything else). */
    static Socket newSocket() throws IOException {
        return SENDFILE ? SocketChannel.open().socket() : new Socket();
    }

    /** Socket options for bulk transfer: no Nagle (we coalesce), big buffers, a read deadline. */
    public static void tune(Socket socket) throws SocketException {
        socket.setTcpNoDelay(true); // we coalesce ourselves (flush when the outbox drains); Nagle would hold requests back
        socket.setReceiveBufferSize(SOCKET_BUFFER);
        socket.setSendBufferSize(SOCKET_BUFFER);
        socket.setSoTimeout(READ_TIMEOUT_MS);
    }

    /**
     * Wraps a connected socket; {@code in} may already be a buffered stream over it. A socket made
     * from a channel ({@link #newSocket}, {@link PeerListener} with sendfile on) offers that channel
     * for file-to-socket sends.
     */
    public static PeerStreams streams(Socket socket, InputStream in) throws IOException {
        InputStream buffered = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, STREAM_BUFFER);
        return new PeerStreams(buffered, new BufferedOutputStream(socket.getOutputStream(), STREAM_BUFFER), socket,
                (InetSocketAddress) socket.getRemoteSocketAddress(), socket.getChannel());
    }
}
