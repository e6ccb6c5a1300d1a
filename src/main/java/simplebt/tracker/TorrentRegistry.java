package simplebt.tracker;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;

/**
 * Torrents uploaded to this tracker, by the info hash the server computed itself. Each gets a
 * random 32-byte swarm secret. Registration and completed counts are durable before the
 * caller is told they happened.
 */
final class TorrentRegistry {
    private final Store store;
    private final LongSupplier clockMillis;
    private final SecureRandom random;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<InfoHash, TorrentEntry> entries = new ConcurrentHashMap<>();
    private final UploadLimiter uploads;

    TorrentRegistry(Store store, LongSupplier clockMillis, SecureRandom random) throws IOException {
        this.store = store;
        this.clockMillis = clockMillis;
        this.random = random;
        this.uploads = new UploadLimiter(clockMillis);
        for (TorrentEntry e : store.loadTorrents()) {
            entries.put(InfoHash.fromHex(e.infoHash()), e);
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
                clockMillis.getAsLong() / 1000, HexFormat.of().formatHex(secret), 0);
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

    /** One more completed download, written to disk before returning the new count. */
    long addCompleted(InfoHash hash) throws IOException {
        writeLock.lock();
        try {
            TorrentEntry e = entries.get(hash);
            if (e == null) {
                return 0;
            }
            TorrentEntry updated = e.withCompleted(e.completed() + 1);
            store.saveEntry(updated);
            entries.put(hash, updated);
            return updated.completed();
        } finally {
            writeLock.unlock();
        }
    }

    byte[] torrentFile(InfoHash hash) throws IOException {
        return store.torrentFile(hash);
    }
}
