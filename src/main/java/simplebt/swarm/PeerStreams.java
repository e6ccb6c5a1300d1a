package simplebt.swarm;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * A byte pipe to one peer, whatever carries it: plain TCP, or (later) the secure channel
 * wrapping a socket's streams. {@code closer} tears the whole thing down and must unblock a
 * reader stuck in {@code in.read()}. Streams should be buffered by whoever makes them.
 *
 * @param plainChannel the socket's channel when {@code out} puts our bytes on it unchanged (plain
 *                     TCP): piece data may then go from a file straight to it ({@link PeerWriter},
 *                     sendfile), after {@code out} is flushed. Null for transports that transform
 *                     the bytes (MSE, the secure channel).
 */
public record PeerStreams(InputStream in, OutputStream out, Closeable closer, InetSocketAddress address,
                          SocketChannel plainChannel) {
    /** A transport that transforms our bytes on their way to the socket: no file-to-socket sends. */
    public PeerStreams(InputStream in, OutputStream out, Closeable closer, InetSocketAddress address) {
        this(in, out, closer, address, null);
    }

    /** For log lines: the remote address. */
    public String remote() {
        return address.toString();
    }
}
