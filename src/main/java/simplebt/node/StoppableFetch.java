package simplebt.node;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A magnet link's metadata fetch that Ctrl-C or SIGTERM ends as a time-out would: the JVM
 * shutdown hook calls {@link #end}, which interrupts the thread inside {@link #run} and waits
 * while the fetch stops its DHT search and its trackers hear {@code stopped}; only then may the
 * hook close the DHT (saving its table). The host, whose port the fetch only names to trackers,
 * may be closed before ({@link HostShutdown} closes it first). Used by {@code node download MAGNET}
 * ({@link MagnetFetch}) and by the menu's Download ({@link MenuContext#fetchMetadata}).
 *
 * <p>Threads: {@link #run} on the command's (or menu's) thread, {@link #end} on the shutdown
 * hook's; {@code fetching} and {@code stopping} are guarded by {@code lock}.
 */
final class StoppableFetch {
    /**
     * How long Ctrl-C waits for the fetch to end: the resolver gives its DHT search and its
     * {@code stopped} announces 5 s each.
     */
    private static final long FETCH_END_WAIT_NANOS = TimeUnit.SECONDS.toNanos(12);

    /** The fetch itself (MagnetResolver's). */
    interface Fetch<T> {
        T call() throws IOException, InterruptedException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition fetchEnded = lock.newCondition();
    private Thread fetching; // the thread inside run, or null
    private boolean stopping; // set by the shutdown hook

    /**
     * Runs {@code fetch} on this thread. Interrupted by {@link #end} it never returns: the
     * shutdown hook closes all and ends the JVM, and returning would print "error: interrupted"
     * for a stop the user asked for.
     */
    <T> T run(Fetch<T> fetch) throws IOException, InterruptedException {
        lock.lock();
        try {
            fetching = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        try {
            return fetch.call();
        } catch (InterruptedException e) {
            if (isStopping()) {
                fetchDone();
                waitForTheHook();
            }
            throw e;
        } finally {
            fetchDone();
        }
    }

    /**
     * On the shutdown hook's thread: interrupts a fetch in progress, which then ends as on a
     * time-out (its DHT search stops, its trackers hear {@code stopped}), and waits for that.
     */
    void end() {
        lock.lock();
        try {
            stopping = true;
            if (fetching != null) {
                fetching.interrupt();
            }
            long left = FETCH_END_WAIT_NANOS;
            while (fetching != null && left > 0) {
                left = fetchEnded.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the hook goes on to close what is open
        } finally {
            lock.unlock();
        }
    }

    private boolean isStopping() {
        lock.lock();
        try {
            return stopping;
        } finally {
            lock.unlock();
        }
    }

    private void fetchDone() {
        lock.lock();
        try {
            fetching = null;
            fetchEnded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Never returns: the shutdown hook ends the JVM once the host and the DHT are closed. */
    private static void waitForTheHook() {
        while (true) {
            LockSupport.park();
        }
    }
}
