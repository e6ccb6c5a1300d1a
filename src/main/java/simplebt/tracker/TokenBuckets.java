package simplebt.tracker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key: up to {@code count} actions at once, then one more every
 * {@code perSeconds / count} seconds. Full buckets carry no state, so they are dropped when
 * many keys are tracked: memory stays proportional to the keys that acted lately.
 *
 * <p>Threads: any; each bucket changes atomically inside {@code ConcurrentHashMap.compute}.
 */
final class TokenBuckets {
    /** Above this many tracked keys, full buckets are dropped. */
    static final int PRUNE_ABOVE = 100_000;

    /** Credit is kept in milliseconds of refill time: one action costs {@link #costMillis}. */
    private record Bucket(long creditMillis, long atMillis) {
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final long costMillis;
    private final long capacityMillis;
    private final LongSupplier clock;

    TokenBuckets(int count, int perSeconds, LongSupplier clockMillis) {
        if (count < 1 || perSeconds < 1) {
            throw new IllegalArgumentException("a rate needs a count and a period of at least 1");
        }
        this.costMillis = Math.max(1, perSeconds * 1000L / count);
        this.capacityMillis = costMillis * count;
        this.clock = clockMillis;
    }

    /** Takes one action from {@code key}'s bucket: 0 when allowed, else whole seconds to wait (nothing taken). */
    long take(String key) {
        long now = clock.getAsLong();
        long[] wait = {0};
        buckets.compute(key, (k, b) -> {
            long credit = refilled(b, now);
            if (credit >= costMillis) {
                return new Bucket(credit - costMillis, now);
            }
            wait[0] = Math.max(1, (costMillis - credit + 999) / 1000);
            return new Bucket(credit, now);
        });
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.entrySet().removeIf(e -> refilled(e.getValue(), now) >= capacityMillis);
        }
        return wait[0];
    }

    int tracked() {
        return buckets.size();
    }

    private long refilled(Bucket b, long now) {
        if (b == null) {
            return capacityMillis;
        }
        return Math.min(capacityMillis, b.creditMillis + Math.max(0, now - b.atMillis));
    }
}
