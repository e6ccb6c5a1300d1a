package simplebt.swarm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A byte rate limit shared by many connections ({@code --max-upload-rate},
 * {@code --max-download-rate}). A caller takes what it moved (a block) at once, running the
 * bucket into debt if need be, and then sleeps until the debt would be paid at the rate: no
 * queue and no thread of its own, and over any stretch of time at most
 * {@code burst + rate * seconds} bytes pass. Whole blocks go through at once, so request
 * pipelining is unchanged; only the pace of blocks is. A rate of 0 means no limit and costs a
 * field read.
 *
 * <p>Threads: any; {@code tokens} and {@code refilled} are guarded by {@code lock}, which is
 * never held while sleeping.
 */
final class TokenBucket {
    /** A quarter second of the rate may pass at once (at least one 16 KiB block): smooth, yet not jittery. */
    private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long MIN_BURST = 16 * 1024;

    private final long rate;
    private final double burst;
    private final ReentrantLock lock = new ReentrantLock();
    private double tokens;
    private long refilled = System.nanoTime();

    /** @param rate bytes per second; 0 = no limit */
    TokenBucket(long rate) {
        if (rate < 0) {
            throw new IllegalArgumentException("rate must be 0 (no limit) or more, got " + rate);
        }
        this.rate = rate;
        this.burst = Math.max(MIN_BURST, rate * (double) BURST_NANOS / 1e9);
        this.tokens = burst;
    }

    /**
     * As {@link #take}, for a reader that cannot throw: false if interrupted while waiting (the
     * interrupt stays set), so the caller stops. The reader pauses as long as the block takes at
     * the rate, its socket fills, and TCP slows the sender; its next requests go out after the pause.
     */
    boolean pace(int bytes) {
        try {
            take(bytes);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    long rate() {
        return rate;
    }

    boolean limited() {
        return rate > 0;
    }

    /** Counts {@code bytes} moved and waits as long as the rate says they take; at once without a limit. */
    void take(int bytes) throws InterruptedException {
        if (rate == 0) {
            return;
        }
        long waitNanos;
        lock.lock();
        try {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilled) * (double) rate / 1e9);
            refilled = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / rate);
        } finally {
            lock.unlock();
        }
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }
}
