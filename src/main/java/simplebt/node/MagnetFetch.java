package simplebt.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import simplebt.magnet.MagnetLink;
import simplebt.magnet.MagnetResolver;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.HostOptions;
import simplebt.swarm.SessionHost;

/**
 * What a command needs before a magnet link's torrent can run: the node's listening port, opened
 * first so that the link's trackers hear the port we really listen on (with {@code --port 0}
 * too), and the node's one DHT, which finds peers for a link that names no tracker and no peer.
 * Both are handed to whatever then runs the torrent ({@link SessionRunner}, {@link ManyTorrents}),
 * or closed here if nothing does. Ctrl-C or SIGTERM while a link's metadata is still coming
 * ends the fetch (its trackers hear {@code stopped}) and closes both, as on every other path
 * (the DHT saves its table). Owned by the command's thread, except where said.
 */
final class MagnetFetch implements AutoCloseable {
    private final HostOptions hostOptions;
    private final NodeDht.Settings dhtSettings;
    private final Path configDir;
    private volatile SessionHost host; // opened by the first magnet link; read by the shutdown hook
    private volatile NodeDht dht; // the same
    private HostShutdown hook; // from the first link until handed over or closed
    private boolean handedOver;
    private final Map<InfoHash, InetSocketAddress> servedBy = new HashMap<>();
    private final StoppableFetch fetch = new StoppableFetch(); // Ctrl-C ends it before the hook closes

    /** @param configDir where the DHT keeps its table (dht.dat), or null */
    MagnetFetch(HostOptions hostOptions, NodeDht.Settings dhtSettings, Path configDir) {
        this.hostOptions = hostOptions;
        this.dhtSettings = dhtSettings;
        this.configDir = configDir;
    }

    /**
     * The verified metadata: from the link's x.pe, {@code extraPeers}, its trackers and the DHT.
     * The peer that served it is kept for {@link #servedBy}.
     */
    Metainfo resolve(MagnetLink link, Collection<InetSocketAddress> extraPeers, Duration timeout)
            throws IOException, InterruptedException {
        if (host == null) {
            host = SessionHost.start(hostOptions);
            dht = NodeDht.start(dhtSettings, hostOptions.bind(), host.port(), configDir);
            // a download cut short: 130, like Ctrl-C once the torrent runs
            hook = new HostShutdown(() -> host, () -> false, false, h -> {
                fetch.end();
                dht.close(); // saves the routing table learnt during the fetch
            });
        }
        MagnetResolver.Resolved got = fetch.run(
                () -> MagnetResolver.fetch(link, extraPeers, host.port(), timeout, dht.lookup(link.infoHash())));
        got.from().ifPresent(peer -> servedBy.put(link.infoHash(), peer));
        return got.meta();
    }

    /**
     * The peer whose metadata we took: it has the torrent and takes connections, so the session
     * dials it as it starts instead of waiting for its tracker's or the DHT's answer again.
     */
    Optional<InetSocketAddress> servedBy(InfoHash infoHash) {
        return Optional.ofNullable(servedBy.get(infoHash));
    }

    /** The open host, or null if no link was resolved; the caller now owns it and {@link #dht()}. */
    SessionHost handOverHost() {
        handedOver = true;
        removeHook(); // whoever runs the torrents installs their own
        return host;
    }

    NodeDht dht() {
        return dht;
    }

    /** Closes the port and the DHT unless they were handed over. */
    @Override
    public void close() {
        if (handedOver || host == null || !removeHook()) {
            return; // handed over, never opened, or the shutdown hook closes them
        }
        dht.close();
        host.close();
    }

    /** False if the JVM is shutting down already: the hook then closes the host and the DHT. */
    private boolean removeHook() {
        return hook == null || hook.remove();
    }
}
