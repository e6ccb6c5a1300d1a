package simplebt.magnet;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * Somewhere a metadata fetch can find more peers for its info hash while it runs, e.g. the
 * node's DHT. The magnet package knows nothing of how: {@link #start} begins looking, hands what
 * it finds to {@code found} (from any thread, any number of times) and stops when closed.
 */
@FunctionalInterface
public interface PeerSource {
    AutoCloseable start(Consumer<Collection<InetSocketAddress>> found);
}
