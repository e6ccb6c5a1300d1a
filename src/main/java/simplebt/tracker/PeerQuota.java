package simplebt.tracker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Peer entries across all swarms: at most {@code perOwner} for one user or address, at most
 * {@code total} in all. Together with the per-swarm limits this bounds the tracker's memory
 * however announces are made up.
 *
 * <p>Threads: any; {@code byOwner} changes inside {@code ConcurrentHashMap.compute}, the total
 * by compare-and-set. Called with a swarm's lock held; takes no lock of its own.
 */
final class PeerQuota {
    private final int perOwner;
    private final int total;
    private final ConcurrentHashMap<Long, Integer> byOwner = new ConcurrentHashMap<>();
    private final AtomicInteger used = new AtomicInteger();

    PeerQuota(int perOwner, int total) {
        this.perOwner = perOwner;
        this.total = total;
    }

    /** Why a new entry was refused, or null when it was counted. */
    String tryTake(PeerOwner owner) {
        int now;
        do {
            now = used.get();
            if (now >= total) {
                return "the tracker is tracking as many peers as it can; try again later";
            }
        } while (!used.compareAndSet(now, now + 1));
        boolean[] full = {false};
        byOwner.compute(owner.id(), (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perOwner) {
                full[0] = true;
                return n;
            }
            return count + 1;
        });
        if (full[0]) {
            used.decrementAndGet();
            return "you have " + perOwner + " peers on this tracker already (" + (owner.account() ? "this passkey" : "this address")
                    + "); stop some first";
        }
        return null;
    }

    void release(PeerOwner owner) {
        byOwner.computeIfPresent(owner.id(), (k, n) -> n <= 1 ? null : n - 1);
        used.decrementAndGet();
    }

    int used() {
        return used.get();
    }

    int owners() {
        return byOwner.size();
    }
}
