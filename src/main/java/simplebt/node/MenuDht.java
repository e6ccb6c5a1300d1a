package simplebt.node;

import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import simplebt.log.Log;
import simplebt.magnet.PeerSource;
import simplebt.metainfo.InfoHash;
import simplebt.swarm.SessionHost;
import simplebt.swarm.TorrentSession;

/**
 * The menu's one DHT node (BEP 5) for the torrents its session host runs: the menu adds them in
 * the background, so once a second this puts each newly started session that is not private on
 * the DHT (as {@code serve} does). The node is started with the first public torrent only: a menu
 * that runs private torrents alone opens no DHT socket.
 *
 * <p>Threads: {@code dht} and {@code onDht} belong to the single scheduler thread; {@link #close}
 * and {@link #lookup} hand their work to that thread and wait for it.
 */
final class MenuDht implements AutoCloseable {
    private final SessionHost host;
    private final NodeDht.Settings settings;
    private final Path configDir;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("menu-dht").unstarted(r));
    private final Set<TorrentSession> onDht = Collections.newSetFromMap(new IdentityHashMap<>());
    private NodeDht dht;

    /** @param configDir where the DHT keeps its table (dht.dat) */
    MenuDht(SessionHost host, NodeDht.Settings settings, Path configDir) {
        this.host = host;
        this.settings = settings;
        this.configDir = configDir;
        worker.scheduleWithFixedDelay(this::attachNew, 1, 1, TimeUnit.SECONDS);
    }

    private void attachNew() {
        try {
            for (var t : host.torrents()) {
                t.session().filter(s -> !s.metainfo().info().isPrivate()).filter(onDht::add).ifPresent(s -> {
                    if (dht == null) {
                        dht = NodeDht.start(settings, host.options().bind(), host.port(), configDir);
                    }
                    dht.attach(s);
                });
            }
        } catch (RuntimeException e) {
            Log.debug("dht: " + e.getMessage()); // a failed round must not end the schedule
        }
    }

    /**
     * The DHT as a peer source for a magnet link's metadata fetch (BEP 9), the node started now
     * if no public torrent has started it yet; null when the DHT is off. Whether the torrent is
     * private shows only once its metadata is in: MagnetResolver asks the DHT at once only for a
     * link that names no tracker and no peer. A node started here for what then proves private
     * stays up without it (it is never put on the DHT: attachNew skips private torrents).
     */
    PeerSource lookup(InfoHash infoHash) {
        try {
            return worker.submit(() -> {
                if (dht == null) {
                    dht = NodeDht.start(settings, host.options().bind(), host.port(), configDir);
                }
                return dht.lookup(infoHash);
            }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            Log.debug("dht: " + e.getMessage());
            return null; // the fetch goes on with the link's own trackers and peers
        }
    }

    /** Takes every torrent off the DHT and saves its table. */
    @Override
    public void close() {
        worker.execute(() -> {
            if (dht != null) {
                dht.close();
            }
        });
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
