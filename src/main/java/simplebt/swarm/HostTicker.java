package simplebt.swarm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import simplebt.log.Log;

/**
 * One clock for every torrent of a host: each period (one second) it starts each registered
 * torrent's tick on a short-lived virtual thread of its own. Before, every torrent kept its own
 * ticker thread parked in a sleep, about 4 KiB of stack chunks and scheduler state each for
 * the whole life of the torrent (a fifth of what an idle seeding torrent kept on the heap); the
 * short-lived threads cost nothing between ticks.
 *
 * <p>Each tick runs on its own thread so that a slow one (a resume file on a slow disk) holds up
 * only its torrent. A torrent's ticks never overlap: one still running when the next is due is
 * skipped, as a sleeping ticker thread would have been late. Each torrent counts its own ticks
 * (1, 2, 3, ... as the old ticker did), so its choking rounds keep their spacing.
 *
 * <p>Threads: {@code entries} is a copy-on-write list (registered from any thread, read by the
 * clock thread). {@code clock} is started under {@code lock} on the first registration and ends
 * in {@link #close}. Each {@link Entry}'s {@code count} belongs to whichever thread holds that
 * entry's {@code running} lock; so does the state a torrent's tick keeps for itself (rates,
 * choker windows: "the ticker thread's" in {@link PeerConnection}): its ticks run on different
 * threads but one at a time, each ordered after the last by that lock.
 */
final class HostTicker implements AutoCloseable {
    static final Duration PERIOD = Duration.ofSeconds(1);

    /** A torrent's registration: {@link #cancel} stops its ticks. */
    final class Entry {
        private final String name;
        private final LongConsumer tick;
        /** Made once: a builder, a name and a method reference per tick were most of what an idle torrent allocated. */
        private final ThreadFactory threads;
        private final Runnable once = this::runOnce;
        /** Held while a tick runs; cancel() takes it to wait for a tick in flight. */
        private final ReentrantLock running = new ReentrantLock();
        private volatile boolean cancelled;
        private long count; // guarded by running

        private Entry(String name, LongConsumer tick) {
            this.name = name;
            this.tick = tick;
            this.threads = Thread.ofVirtual().name("tick-" + name).factory();
        }

        private void runOnce() {
            if (!running.tryLock()) {
                return; // the previous tick is still running: this one is skipped
            }
            try {
                if (cancelled) {
                    return;
                }
                count++;
                tick.accept(count);
            } catch (RuntimeException e) {
                Log.debug("ticker " + name, e);
            } finally {
                running.unlock();
            }
        }

        /** No tick starts after this returns, and none is running (one in flight is waited for). */
        void cancel() {
            cancelled = true;
            entries.remove(this);
            if (running.isHeldByCurrentThread()) {
                return; // cancelled from inside its own tick
            }
            running.lock();
            running.unlock();
        }
    }

    private final Duration period;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Thread clock; // guarded by lock

    HostTicker() {
        this(PERIOD);
    }

    /** @param period time between ticks (tests make it short) */
    HostTicker(Duration period) {
        this.period = period;
    }

    /** Ticks {@code tick} with 1, 2, 3, ... once a period from now on, until the entry is cancelled or the ticker closed. */
    Entry register(String name, LongConsumer tick) {
        Entry e = new Entry(name, tick);
        lock.lock();
        try {
            if (closed.get()) {
                return e; // a torrent starting while its host closes: it is closed right after, no ticks
            }
            entries.add(e);
            if (clock == null) {
                clock = Thread.ofVirtual().name("host-ticker").start(this::clockLoop);
            }
        } finally {
            lock.unlock();
        }
        return e;
    }

    /** Torrents ticking now (tests: a dormant one is not among them). */
    int registered() {
        return entries.size();
    }

    private void clockLoop() {
        long periodNanos = period.toNanos();
        long next = System.nanoTime() + periodNanos;
        while (!closed.get()) {
            try {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            } catch (InterruptedException e) {
                return;
            }
            // Fixed rate, but after a long stall (a suspended laptop) start again from now.
            next = Math.max(next + periodNanos, System.nanoTime());
            for (Entry e : entries) {
                e.threads.newThread(e.once).start();
            }
        }
    }

    /** Stops the clock; ticks in flight finish on their own threads (each torrent's cancel waits for its own). */
    @Override
    public void close() {
        Thread c;
        lock.lock();
        try {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            c = clock;
        } finally {
            lock.unlock();
        }
        if (c != null) {
            c.interrupt();
            try {
                c.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
