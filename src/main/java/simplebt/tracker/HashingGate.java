package simplebt.tracker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Bounds the password hashing (PBKDF2, ~0.1-0.5 s of one core each) done at once. Without it,
 * 64 parallel logins keep every core hashing and announces wait behind them. With half the
 * cores (at least one) as permits, the rest stays free for announces and the API.
 *
 * <p>Two lanes share the permits: attempts from an account or address that failed lately
 * ("suspect", see {@link LoginThrottle}) get a permit only while no clean attempt waits, so a
 * flood of guesses from many addresses delays other users' logins by at most one clean
 * attempt per fresh attacking address. A caller waits up to {@link #MAX_WAIT_MILLIS}; beyond
 * that, or with {@link #MAX_WAITING} callers already queued in its lane, it gets 503 with
 * {@code Retry-After} instead of piling up.
 *
 * <p>Threads: {@code inUse}, {@code cleanWaiting} and {@code suspectWaiting} are guarded by
 * {@code lock}, which is never held while hashing.
 */
final class HashingGate {
    static final long MAX_WAIT_MILLIS = 10_000;
    static final int MAX_WAITING = 256;
    private final int permits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private int inUse;
    private int cleanWaiting;
    private int suspectWaiting;

    HashingGate(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("at least one permit");
        }
        this.permits = permits;
    }

    /** Half the cores, at least one. */
    static HashingGate forThisMachine() {
        return new HashingGate(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    int permits() {
        return permits;
    }

    /** Callers waiting for a permit, both lanes. */
    int waiting() {
        lock.lock();
        try {
            return cleanWaiting + suspectWaiting;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} holding a permit, or refuses with 503 when the wait is too long. */
    <T> T run(boolean suspect, Supplier<T> work) throws ApiException {
        acquire(suspect);
        try {
            return work.get();
        } finally {
            lock.lock();
            try {
                inUse--;
                released.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void acquire(boolean suspect) throws ApiException {
        lock.lock();
        try {
            if (mayTake(suspect)) {
                inUse++;
                return;
            }
            if ((suspect ? suspectWaiting : cleanWaiting) >= MAX_WAITING) {
                throw busy();
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
            if (suspect) {
                suspectWaiting++;
            } else {
                cleanWaiting++;
            }
            try {
                while (!mayTake(suspect)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw busy();
                    }
                    released.awaitNanos(left);
                }
                inUse++;
            } finally {
                if (suspect) {
                    suspectWaiting--;
                } else {
                    cleanWaiting--;
                    released.signalAll(); // a suspect waiter may go now that one clean left the queue
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the tracker is shutting down", 1);
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds {@code lock}. A suspect attempt never overtakes a waiting clean one. */
    private boolean mayTake(boolean suspect) {
        return inUse < permits && (!suspect || cleanWaiting == 0);
    }

    private static ApiException busy() {
        return new ApiException(503, "the tracker is busy checking passwords, try again in a moment", 1);
    }
}
