package simplebt.library;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.metainfo.InfoHash;

/**
 * Carries one process's transfer counters into the library's running totals. Sessions count
 * from zero each run; this adds only what is new since its last save, so saving every minute and
 * again on exit counts every byte once (and a crash loses at most the last minute).
 *
 * <p>Threads: the status loop and the shutdown hook both save; {@code saved} is guarded by
 * {@code lock}, which is held across the file write (a local file, no socket) so that two saves
 * never add the same bytes twice.
 */
public final class RunTotals {
    private final TorrentLibrary library;
    private final ReentrantLock lock = new ReentrantLock();
    /** What each torrent's counters said at the last save; guarded by {@code lock}. */
    private final Map<InfoHash, TorrentLibrary.Transferred> saved = new HashMap<>();

    public RunTotals(TorrentLibrary library) {
        this.library = library;
    }

    /** @param soFar each torrent's bytes sent and received in this process so far */
    public void save(Map<InfoHash, TorrentLibrary.Transferred> soFar) throws IOException {
        lock.lock();
        try {
            Map<InfoHash, TorrentLibrary.Transferred> news = new HashMap<>();
            soFar.forEach((hash, now) -> {
                TorrentLibrary.Transferred before = saved.getOrDefault(hash, new TorrentLibrary.Transferred(0, 0));
                long sent = since(before.sent(), now.sent());
                long received = since(before.received(), now.received());
                if (sent > 0 || received > 0) {
                    news.put(hash, new TorrentLibrary.Transferred(sent, received));
                }
            });
            if (!news.isEmpty()) {
                library.addTotals(news);
            }
            saved.putAll(soFar);
        } finally {
            lock.unlock();
        }
    }

    /** A counter below its last value started again (a torrent removed and added back): all of it is new. */
    private static long since(long before, long now) {
        return now >= before ? now - before : now;
    }
}
