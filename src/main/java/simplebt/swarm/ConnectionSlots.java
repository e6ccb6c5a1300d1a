package simplebt.swarm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process-wide cap on peer connections ({@code --max-connections}), over all torrents; each
 * torrent's own {@code maxPeers} applies as well. A connection holds a slot from the moment it
 * is dialed or handed to its torrent until its thread ends. 0 = no cap (still counted).
 *
 * <p>Threads: any; one atomic counter.
 */
final class ConnectionSlots {
    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    ConnectionSlots(int max) {
        this.max = max;
    }

    /** Takes a slot; false at the cap. */
    boolean tryAcquire() {
        while (true) {
            int now = used.get();
            if (max > 0 && now >= max) {
                return false;
            }
            if (used.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Runs {@code connection} holding a slot, released when it ends; false (and not run) at the cap. */
    boolean runInSlot(Runnable connection) {
        if (!tryAcquire()) {
            return false;
        }
        try {
            connection.run();
        } finally {
            release();
        }
        return true;
    }

    void release() {
        used.decrementAndGet();
    }

    /** How many more connections may open now (Integer.MAX_VALUE without a cap). */
    int free() {
        return max == 0 ? Integer.MAX_VALUE : Math.max(0, max - used.get());
    }

    int used() {
        return used.get();
    }

    int max() {
        return max;
    }
}
