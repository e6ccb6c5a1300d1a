package simplebt.dht;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * How many queries we answer: per source address (a token bucket each, the buckets themselves
 * bounded in number, least recently used dropped) and in all. Queries over the limit are
 * dropped without a reply, so a flood costs us a read and nothing else.
 */
public final class QueryRateLimit {
    private final double perSourceRate;
    private final double totalRate;
    private final int maxSources;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private final Map<InetAddress, double[]> sources; // {tokens, last millis}
    private final double[] total;

    /** Rates are queries a second; a bucket holds two seconds' worth. */
    public QueryRateLimit(double perSourceRate, double totalRate, int maxSources, LongSupplier millisClock) {
        this.perSourceRate = perSourceRate;
        this.totalRate = totalRate;
        this.maxSources = maxSources;
        this.clock = millisClock;
        this.sources = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, double[]> eldest) {
                return size() > QueryRateLimit.this.maxSources;
            }
        };
        this.total = new double[] {2 * totalRate, clock.getAsLong()};
    }

    public boolean allow(InetAddress source) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            double[] own = sources.computeIfAbsent(source, k -> new double[] {2 * perSourceRate, now});
            refill(own, perSourceRate, now);
            refill(total, totalRate, now);
            if (own[0] < 1 || total[0] < 1) {
                return false;
            }
            own[0]--;
            total[0]--;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static void refill(double[] bucket, double rate, long now) {
        bucket[0] = Math.min(2 * rate, bucket[0] + (now - bucket[1]) * rate / 1000.0);
        bucket[1] = now;
    }
}
