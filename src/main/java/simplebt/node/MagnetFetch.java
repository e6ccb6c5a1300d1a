package simplebt.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

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
    /**
     * How long Ctrl-C waits for the fetch to end: the resolver gives its DHT search and its
     * {@code stopped} announces 5 s each.
     */
    private static final long FETCH_END_WAIT_NANOS = TimeUnit.SECONDS.toNanos(12);

    private final HostOptions hostOptions;
    private final NodeDht.Settings dhtSettings;
    private final Path configDir;
    private volatile SessionHost host; // opened by the first magnet link; read by the shutdown hook
    private volatile NodeDht dht; // the same
    private HostShutdown hook; // from the first link until handed over or closed
    private boolean handedOver;
    private final Map<InfoHash, InetSocketAddress> servedBy = new HashMap<>();
    /** Guards the two below: the command's thread fetches, the shutdown hook stops the fetch. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition fetchEnded = lock.newCondition();
    private Thread fetching; // the thread inside MagnetResolver.fetch, or null
    private boolean stopping; // set by the shutdown hook

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
                endFetch();
                dht.close(); // saves the routing table learnt during the fetch
            });
        }
        lock.lock();
        try {
            fetching = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        MagnetResolver.Resolved got;
        try {
            got = MagnetResolver.fetch(link, extraPeers, host.port(), timeout, dht.lookup(link.infoHash()));
        } catch (InterruptedException e) {
            if (isStopping()) {
                // Interrupted by Ctrl-C (endFetch): the hook closes all and ends the JVM with
                // 130. Returning would print "error: interrupted" for a stop the user asked for.
                fetchDone();
                waitForTheHook();
            }
            throw e;
        } finally {
            fetchDone();
        }
        got.from().ifPresent(peer -> servedBy.put(link.infoHash(), peer));
        return got.meta();
    }

    private boolean isStopping() {
        lock.lock();
        try {
            return stopping;
        } finally {
            lock.unlock();
        }
    }

    private void fetchDone() {
        lock.lock();
        try {
            fetching = null;
            fetchEnded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the shutdown hook's thread: interrupts a fetch in progress, which then ends as on a
     * time-out (its DHT search stops, its trackers hear {@code stopped}), and waits for that.
     */
    private void endFetch() {
        lock.lock();
        try {
            stopping = true;
            if (fetching != null) {
                fetching.interrupt();
            }
            long left = FETCH_END_WAIT_NANOS;
            while (fetching != null && left > 0) {
                left = fetchEnded.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the hook goes on to close what is open
        } finally {
            lock.unlock();
        }
    }

    /** Never returns: the shutdown hook halts the JVM once the host and the DHT are closed. */
    private static void waitForTheHook() {
        while (true) {
            LockSupport.park();
        }
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
