package simplebt.swarm;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.trackerclient.AnnounceResponse;

/**
 * Whether a {@link TorrentSession} still takes incoming peers and tracker replies, or (falling
 * asleep) hands them to the dormant torrent it becomes. Makes the fall-asleep's last look for
 * peers ({@link #closeIf}) one step against a peer's acceptance and a reply's dials: each is
 * either seen by that look (the session stays awake) or handed on after it, never taken by a
 * session that then closes under it.
 *
 * <p>Threads: peer threads, the announcer's round thread and the fall-asleep's thread. All
 * fields are guarded by {@code lock}, held only to count, for the idle look and for a reply's
 * dials (no I/O: a dial runs on a thread of its own); under it only the dialer's and the swarm's
 * own leaf locks are taken, never this one under them.
 */
final class SessionIntake {
    private final ReentrantLock lock = new ReentrantLock();
    private int incoming; // accepted peers whose connection runs
    /** Set when the session falls asleep: who takes the peers and replies that still come. */
    private Onward onward;

    private record Onward(Consumer<PeerStreams> peers, Consumer<AnnounceResponse> replies) {
    }

    /** Runs an accepted peer's connection (on this thread), counted while it runs; false, running nothing, once closed. */
    boolean runCounted(Runnable connection) {
        lock.lock();
        try {
            if (onward != null) {
                return false;
            }
            incoming++;
        } finally {
            lock.unlock();
        }
        try {
            connection.run();
        } finally {
            lock.lock();
            try {
                incoming--;
            } finally {
                lock.unlock();
            }
        }
        return true;
    }

    /** Runs {@code dials} (a reply's, quick: they start threads) unless closed: false then. */
    boolean dialUnlessClosed(Runnable dials) {
        lock.lock();
        try {
            if (onward != null) {
                return false;
            }
            dials.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the intake if no accepted peer runs and {@code idle} (no connection, no dial) still
     * holds: what comes from now on goes to {@code peers} and {@code replies}. False if not.
     */
    boolean closeIf(BooleanSupplier idle, Consumer<PeerStreams> peers, Consumer<AnnounceResponse> replies) {
        lock.lock();
        try {
            if (incoming > 0 || !idle.getAsBoolean()) {
                return false;
            }
            onward = new Onward(peers, replies);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A peer that came after the close: to the dormant torrent (which wakes for it). */
    void handOn(PeerStreams streams) {
        onward().peers().accept(streams);
    }

    /** A reply that came after the close: to the dormant torrent (which wakes for its leechers). */
    void handOn(AnnounceResponse reply) {
        onward().replies().accept(reply);
    }

    private Onward onward() {
        lock.lock();
        try {
            return onward;
        } finally {
            lock.unlock();
        }
    }
}
