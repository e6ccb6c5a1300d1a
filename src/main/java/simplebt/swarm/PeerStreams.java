package simplebt.swarm;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * A byte pipe to one peer, whatever carries it: plain TCP, or (later) the secure channel
 * wrapping a socket's streams. {@code closer} tears the whole thing down and must unblock a
 * reader stuck in {@code in.read()}. Streams should be buffered by whoever makes them.
 */
public record PeerStreams(InputStream in, OutputStream out, Closeable closer, InetSocketAddress address) {
    /** For log lines: the remote address. */
    public String remote() {
        return address.toString();
    }
}
