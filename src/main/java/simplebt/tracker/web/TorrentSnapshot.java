package simplebt.tracker.web;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The torrent list as the pages last saw it, with each sort order made once. Building the list
 * (10,000 rows with live counts) and sorting it took most of a home-page request; a snapshot is
 * reused for up to {@link #MAX_AGE_MILLIS} and dropped at once when the number of torrents
 * changes (an upload or a delete, through the site or the API). Counts may so lag by a second,
 * less than the tracker's own sweep lets them.
 *
 * <p>Threads: any request thread. {@code current} is swapped atomically by the thread holding
 * {@code rebuild}; a snapshot's sorted orders are filled through a concurrent map.
 */
final class TorrentSnapshot {
    static final long MAX_AGE_MILLIS = 1000;
    private static final Map<String, Comparator<Backend.Torrent>> ORDERS = Map.of(
            "name", Comparator.comparing((Backend.Torrent t) -> t.name().toLowerCase(Locale.ROOT)),
            "size", Comparator.comparingLong(Backend.Torrent::size),
            "seeders", Comparator.comparingLong(Backend.Torrent::seeders),
            "leechers", Comparator.comparingLong(Backend.Torrent::leechers),
            "completed", Comparator.comparingLong(Backend.Torrent::completed),
            "uploader", Comparator.comparing((Backend.Torrent t) -> t.uploader().toLowerCase(Locale.ROOT)),
            "uploaded", Comparator.comparingLong(Backend.Torrent::uploaded));

    private record Snapshot(List<Backend.Torrent> rows, long takenMillis, Map<String, List<Backend.Torrent>> sorted) {
    }

    private final Backend backend;
    private final LongSupplier clock;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    /** Held while one thread builds a snapshot (in memory only, no I/O). */
    private final ReentrantLock rebuild = new ReentrantLock();

    TorrentSnapshot(Backend backend, LongSupplier clockMillis) {
        this.backend = backend;
        this.clock = clockMillis;
    }

    static boolean sortable(String key) {
        return ORDERS.containsKey(key);
    }

    /** Every torrent in the order asked for (ties broken by info hash, so pages are stable). */
    List<Backend.Torrent> sorted(String key, boolean descending) {
        Snapshot s = fresh();
        return s.sorted.computeIfAbsent(key + (descending ? " desc" : " asc"), k -> {
            Comparator<Backend.Torrent> order = ORDERS.get(key);
            return s.rows.stream().sorted((descending ? order.reversed() : order).thenComparing(Backend.Torrent::infoHash))
                    .toList();
        });
    }

    private Snapshot fresh() {
        long now = clock.getAsLong();
        Snapshot s = current.get();
        boolean changed = s == null || s.rows.size() != backend.torrentCount();
        if (!changed && now - s.takenMillis < MAX_AGE_MILLIS && now >= s.takenMillis) {
            return s;
        }
        // Only old: one thread rebuilds while the others go on serving the old list (no herd
        // of 32 rebuilds at once). Changed: everyone waits for the new one.
        if (changed) {
            rebuild.lock();
        } else if (!rebuild.tryLock()) {
            return s;
        }
        try {
            Snapshot latest = current.get();
            if (latest != s && latest != null && latest.rows.size() == backend.torrentCount()) {
                return latest; // built by another thread while this one waited
            }
            Snapshot built = new Snapshot(backend.torrents(), clock.getAsLong(), new ConcurrentHashMap<>());
            current.set(built);
            return built;
        } finally {
            rebuild.unlock();
        }
    }
}
