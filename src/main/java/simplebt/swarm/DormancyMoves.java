package simplebt.swarm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where one {@link Dormancy} is between running and dormant: its dormant record, whether it is
 * falling asleep or waking, and the waits of those that came during such a move (a peer, a
 * tracker reply, a resume) for its end, on a condition instead of a spin or a poll.
 *
 * <p>Threads: any. {@code dormant} is taken with getAndSet, so one waker, pause or stop ends a
 * dormancy; a wake takes it and sets {@code waking} in one step under {@code lock}, so a waiter
 * never sees neither. {@code lock} is a leaf held only to flip or read these and to wait (no
 * I/O); every move's end, a pause and a stop signal {@code moved}.
 *
 * @param <D> the dormant record
 */
final class DormancyMoves<D> {
    private final AtomicReference<D> dormant = new AtomicReference<>();
    /** Between a session's end and the dormant record's registration: still seeding, not paused. Written by the falling thread. */
    private volatile boolean fallingAsleep;
    /**
     * While a wake builds the session (a data check included, when the files changed while it
     * slept): neither session nor dormant record, yet not paused but CHECKING. Set under
     * {@code lock} with the record's taking, cleared by the waking thread.
     */
    private volatile boolean waking;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();

    /** Dormant, or falling asleep. */
    boolean isDormant() {
        return dormant.get() != null || fallingAsleep;
    }

    boolean isWaking() {
        return waking;
    }

    /** Waking or falling asleep: neither session nor record may be in place. */
    boolean isMoving() {
        return waking || fallingAsleep;
    }

    void fallingAsleep() {
        fallingAsleep = true;
    }

    /**
     * The fall-asleep (or a start straight into dormancy) ended, with its record in place or not;
     * in the same step, when {@code halted} (paused or removed meanwhile), takes the record for
     * the caller to end (null: none, or not halted). One step against {@link #awaitSettled}: a
     * resume finds either the record kept or neither, never a record that is dropped after it looked.
     */
    D asleep(BooleanSupplier halted) {
        lock.lock();
        try {
            fallingAsleep = false;
            D d = halted.getAsBoolean() ? dormant.getAndSet(null) : null;
            moved.signalAll();
            return d;
        } finally {
            lock.unlock();
        }
    }

    void keep(D record) {
        dormant.set(record);
    }

    /** Takes the dormant record for a wake, in one step with saying that it wakes (null: it is not dormant now). */
    D takeForWake() {
        lock.lock();
        try {
            D d = dormant.getAndSet(null);
            if (d != null) {
                waking = true;
            }
            return d;
        } finally {
            lock.unlock();
        }
    }

    /** The wake ended, with a session or without. */
    void awake() {
        waking = false;
        signal();
    }

    /**
     * Takes the dormant record for a pause or stop (null: it is not dormant now). Under the lock,
     * so that a wake's taking of the record and its {@code waking} flag look like one step: a
     * pause in between saw neither and let the wake's carried announcer go (review5).
     */
    D take() {
        lock.lock();
        try {
            return dormant.getAndSet(null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (a while) for a move under way (a wake, a fall-asleep, a session that no longer
     * takes peers, which {@code running} says is there) to end; false at once when none is under
     * way or the torrent is {@code halted} (paused, removed): whatever came has nowhere to go.
     */
    boolean awaitMove(BooleanSupplier halted, BooleanSupplier running) {
        lock.lock();
        try {
            if (halted.getAsBoolean() || !(waking || fallingAsleep || dormant.get() != null || running.getAsBoolean())) {
                return false;
            }
            moved.await(200, TimeUnit.MILLISECONDS); // bounded: a session that closes its intake moves on without a signal
            return !halted.getAsBoolean();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no move (a wake, a fall-asleep) is under way; then, in the same step, whether it is dormant. */
    boolean awaitSettled() throws InterruptedException {
        lock.lock();
        try {
            while (waking || fallingAsleep) {
                moved.await();
            }
            return dormant.get() != null;
        } finally {
            lock.unlock();
        }
    }

    /** A move ended, or the torrent was paused or removed: those waiting look again. */
    void signal() {
        lock.lock();
        try {
            moved.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
