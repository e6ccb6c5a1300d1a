package simplebt.swarm;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process-wide cap on unchoked peers ({@code --upload-slots}), over all torrents; each
 * torrent's {@link Choker} still picks whom. Every choke round a torrent claims the slots its
 * choker wants and gets at most what the others leave free, but never less than a fair share
 * (the cap split among the torrents that want slots, at least one each), so a torrent that
 * came first cannot keep the rest choked for good. 0 = no cap.
 *
 * <p>Threads: the torrents' tickers and readers; {@code held} and {@code wanted} are guarded by
 * {@code lock}, a leaf lock (taken under a swarm's choke lock, nothing under it).
 */
final class UploadSlots {
    private final int max;
    private final ReentrantLock lock = new ReentrantLock();
    /** Slots each torrent holds since its last claim (plus the peers it unchoked in between). */
    private final Map<Object, Integer> held = new HashMap<>();
    /** How many each torrent wanted at its last claim. */
    private final Map<Object, Integer> wanted = new HashMap<>();

    UploadSlots(int max) {
        this.max = max;
    }

    /** A choke round of {@code torrent} wants {@code want} peers unchoked: how many it may. */
    int claim(Object torrent, int want) {
        if (max == 0) {
            return want;
        }
        lock.lock();
        try {
            held.remove(torrent);
            if (want == 0) {
                wanted.remove(torrent);
                return 0;
            }
            wanted.put(torrent, want);
            int others = held.values().stream().mapToInt(Integer::intValue).sum();
            int fair = Math.max(1, max / wanted.size());
            int grant = Math.min(want, Math.max(fair, max - others));
            held.put(torrent, grant);
            return grant;
        } finally {
            lock.unlock();
        }
    }

    /** A peer became interested between rounds: one more slot for {@code torrent}, if any is free. */
    boolean tryOne(Object torrent) {
        if (max == 0) {
            return true;
        }
        lock.lock();
        try {
            if (held.values().stream().mapToInt(Integer::intValue).sum() >= max) {
                return false;
            }
            held.merge(torrent, 1, Integer::sum);
            wanted.merge(torrent, 1, Math::max);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A peer {@code torrent} unchoked has gone, and {@code unchokedNow} of its peers stay
     * unchoked: it holds no more slots than that, so the freed one can be handed on at once.
     * A recount, not a minus one: a choke round that ran after the peer left already counted
     * without it.
     */
    void unchokedPeerLeft(Object torrent, int unchokedNow) {
        if (max == 0) {
            return;
        }
        lock.lock();
        try {
            held.computeIfPresent(torrent, (t, n) -> Math.min(n, unchokedNow));
        } finally {
            lock.unlock();
        }
    }

    /** The torrent stopped: its slots are free. */
    void release(Object torrent) {
        lock.lock();
        try {
            held.remove(torrent);
            wanted.remove(torrent);
        } finally {
            lock.unlock();
        }
    }

    int max() {
        return max;
    }
}
