package simplebt.tracker;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;

/**
 * Torrents uploaded to this tracker, by the info hash the server computed itself. Each gets a
 * random 32-byte swarm secret. A registration is durable before the caller is told. Completed
 * counts (once per user and torrent) change in memory and reach the disk in batches
 * ({@link #flush}, every {@link #FLUSH_PERIOD_MILLIS} and on a clean stop): a made-up peer id
 * per announce cannot force a write each, and kill -9 loses at most the last period's counts.
 *
 * <p>Threads: {@code entries} is read by any thread; {@code completers} and {@code dirty} are
 * guarded by {@code writeLock}, which also orders registrations. {@code flushLock} serialises
 * flushes, which write files without holding {@code writeLock}. Lock order: flushLock, then
 * writeLock.
 */
final class TorrentRegistry {
    private final Store store;
    private final LongSupplier clockMillis;
    private final SecureRandom random;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<InfoHash, TorrentEntry> entries = new ConcurrentHashMap<>();
    private final UploadLimiter uploads;
    private final ReentrantLock flushLock = new ReentrantLock();
    /** Lower-cased names of the users who completed each torrent. */
    private final Map<InfoHash, Set<String>> completers = new HashMap<>();
    /** Torrents whose count changed since the last flush. */
    private final Set<InfoHash> dirty = new HashSet<>();
    static final long FLUSH_PERIOD_MILLIS = 10_000;

    TorrentRegistry(Store store, LongSupplier clockMillis, SecureRandom random) throws IOException {
        this.store = store;
        this.clockMillis = clockMillis;
        this.random = random;
        this.uploads = new UploadLimiter(clockMillis);
        for (TorrentEntry e : store.loadTorrents()) {
            InfoHash hash = InfoHash.fromHex(e.infoHash());
            if (e.completedBy() != null) {
                completers.put(hash, new HashSet<>(e.completedBy()));
            }
            entries.put(hash, e.withCompleted(e.completed(), null));
        }
    }

    /**
     * Registers an upload; 409 when the torrent is known, 429 past the user's upload allowance
     * ({@link UploadLimiter}: a duplicate costs allowance too, as it cost a decode).
     */
    TorrentEntry register(Metainfo meta, String uploader) throws ApiException, IOException {
        uploads.take(uploader, uploadsBy(uploader));
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        TorrentEntry entry = new TorrentEntry(meta.infoHash().hex(), meta.info().name(), meta.info().totalLength(),
                meta.info().files().size(), meta.info().pieceLength(), meta.info().isPrivate(), uploader,
                clockMillis.getAsLong() / 1000, HexFormat.of().formatHex(secret), 0, null);
        writeLock.lock();
        try {
            if (entries.containsKey(meta.infoHash())) {
                throw new ApiException(409, "torrent " + meta.infoHash().hex() + " is already registered");
            }
            store.saveTorrent(entry, meta.raw());
            entries.put(meta.infoHash(), entry);
        } finally {
            writeLock.unlock();
        }
        return entry;
    }

    Optional<TorrentEntry> get(InfoHash hash) {
        return Optional.ofNullable(entries.get(hash));
    }

    boolean contains(InfoHash hash) {
        return entries.containsKey(hash);
    }

    /** Oldest first, so the numbers in a listing stay put as torrents are added. */
    List<TorrentEntry> list() {
        return entries.values().stream()
                .sorted(Comparator.comparingLong(TorrentEntry::uploaded).thenComparing(TorrentEntry::name))
                .toList();
    }

    int count() {
        return entries.size();
    }

    long uploadsBy(String username) {
        return entries.values().stream().filter(e -> e.uploader().equalsIgnoreCase(username)).count();
    }

    byte[] secret(InfoHash hash) {
        TorrentEntry e = entries.get(hash);
        return e == null ? null : HexFormat.of().parseHex(e.secret());
    }

    /**
     * Counts a completed download by {@code username} (once per user; null: a client without a
     * passkey, already deduplicated by the caller). In memory; {@link #flush} writes it.
     */
    boolean addCompleted(InfoHash hash, String username) {
        writeLock.lock();
        try {
            TorrentEntry e = entries.get(hash);
            if (e == null) {
                return false;
            }
            if (username != null
                    && !completers.computeIfAbsent(hash, h -> new HashSet<>()).add(username.toLowerCase(Locale.ROOT))) {
                return false;
            }
            entries.put(hash, e.withCompleted(e.completed() + 1, null));
            dirty.add(hash);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes every count changed since the last flush (atomically per torrent); returns how many. */
    int flush() throws IOException {
        flushLock.lock();
        try {
            List<TorrentEntry> changed = new ArrayList<>();
            writeLock.lock();
            try {
                for (InfoHash hash : dirty) {
                    Set<String> by = completers.get(hash);
                    TorrentEntry e = entries.get(hash);
                    changed.add(e.withCompleted(e.completed(), by == null ? null : List.copyOf(by)));
                }
                dirty.clear();
            } finally {
                writeLock.unlock();
            }
            for (int i = 0; i < changed.size(); i++) {
                try {
                    store.saveEntry(changed.get(i));
                } catch (IOException failed) {
                    markDirty(changed.subList(i, changed.size())); // tried again at the next flush
                    throw failed;
                }
            }
            return changed.size();
        } finally {
            flushLock.unlock();
        }
    }

    private void markDirty(List<TorrentEntry> unsaved) {
        writeLock.lock();
        try {
            for (TorrentEntry e : unsaved) {
                dirty.add(InfoHash.fromHex(e.infoHash()));
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Forgets a torrent (admin): announces for it are refused from now on in private mode. */
    boolean remove(InfoHash hash) throws IOException {
        writeLock.lock();
        try {
            if (!entries.containsKey(hash)) {
                return false;
            }
            store.deleteTorrent(hash);
            entries.remove(hash);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    byte[] torrentFile(InfoHash hash) throws IOException {
        return store.torrentFile(hash);
    }
}
