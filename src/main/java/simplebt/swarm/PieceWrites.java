package simplebt.swarm;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

import simplebt.log.Log;

/**
 * Takes a verified piece's write (and its announcement) off the reader that completed it, so
 * the reader goes back to its socket while the device works: a direct write of a 256 KiB piece
 * waits ~0.2 ms for the device, 0.6-0.8 s per GiB on a leecher's only busy thread.
 *
 * <p>One piece at a time: {@link #offer} hands a piece to a new virtual thread only when none
 * is writing; otherwise the caller writes it itself, as before. So no backlog builds up behind
 * a starved or slow writer (virtual threads are not time-sliced: a reader whose socket always
 * has data keeps its carrier, and a queue of pieces behind it waited 200 ms and more for their
 * have messages in a 7-node test, which made the leechers trade less), and no thread is kept
 * while the torrent is idle or seeding.
 *
 * <p>{@code lock} guards {@code busy}.
 */
final class PieceWrites {
    private final IntConsumer store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    /** A writer thread has a piece (it clears this, under the lock, when done). */
    private boolean busy;

    /** @param store writes one verified piece and announces it; runs on the writer thread */
    PieceWrites(IntConsumer store) {
        this.store = store;
    }

    /** Starts the piece's store on a thread of its own; false, and nothing started, when one is still busy. */
    boolean offer(int piece) {
        lock.lock();
        try {
            if (busy) {
                return false;
            }
            busy = true;
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("piece-writer").start(() -> {
            try {
                store.accept(piece);
            } catch (RuntimeException e) {
                // what the reader's own catch did when it stored the piece itself: one line, and
                // the trace only with --debug (this thread has no caller to hand it to)
                Log.warn("piece " + piece + ": storing it failed: " + e);
                Log.debug("piece " + piece + " store", e);
            } finally {
                lock.lock();
                try {
                    busy = false;
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
        return true;
    }

    /**
     * Waits until the piece handed over last is written (or its write failed), at most
     * {@code limit}; an interrupt does not cut it short (a Ctrl-C closes sessions from an
     * interrupted thread, and closing the files under the write made it fail), it is kept for
     * the caller. False if the write was still under way when the limit passed.
     */
    boolean awaitIdle(Duration limit) {
        boolean interrupted = false;
        long left = limit.toNanos();
        lock.lock();
        try {
            while (busy && left > 0) {
                try {
                    left = idle.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return !busy;
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
