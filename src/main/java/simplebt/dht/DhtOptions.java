package simplebt.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link DhtNode} runs. {@code bootstrap} addresses may be unresolved (resolved when
 * used); {@code configDir} null means the table is not saved. The intervals are BEP 5's usual
 * ones by default; tests shorten them.
 */
public record DhtOptions(InetAddress bind, int port, List<InetSocketAddress> bootstrap, Path configDir,
        Duration queryTimeout, Duration announceInterval, Duration retryInterval) {
    public static final List<InetSocketAddress> ROUTERS = List.of(
            InetSocketAddress.createUnresolved("router.bittorrent.com", 6881),
            InetSocketAddress.createUnresolved("dht.transmissionbt.com", 6881),
            InetSocketAddress.createUnresolved("router.utorrent.com", 6881));

    public DhtOptions {
        bootstrap = List.copyOf(bootstrap);
    }

    public static DhtOptions of(InetAddress bind, int port) {
        return new DhtOptions(bind, port, ROUTERS, null, Duration.ofSeconds(3), Duration.ofMinutes(20), Duration.ofSeconds(30));
    }

    public DhtOptions withBootstrap(List<InetSocketAddress> value) {
        return new DhtOptions(bind, port, value, configDir, queryTimeout, announceInterval, retryInterval);
    }

    public DhtOptions withConfigDir(Path value) {
        return new DhtOptions(bind, port, bootstrap, value, queryTimeout, announceInterval, retryInterval);
    }

    public DhtOptions withTimes(Duration timeout, Duration announce, Duration retry) {
        return new DhtOptions(bind, port, bootstrap, configDir, timeout, announce, retry);
    }
}
