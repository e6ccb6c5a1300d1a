package simplebt.swarm;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;

/**
 * A host's clock for its torrents' announces: one virtual thread that starts each round when it
 * is due (each round then runs on a thread of its own), and a cap on how many announces of the
 * whole host are on the wire at once.
 *
 * <p>Why the cap: a {@code serve} that starts with 1,000 remembered torrents started 1,000 first
 * announces at the same moment, each with a connection (or a UDP socket) of its own: 930 open
 * descriptors and 190 MiB RSS at the peak, against 65 and 18 MiB for transmission-daemon, and
 * with the usual {@code ulimit -n} of 1024 a user with 1,100 torrents would have got "Too many
 * open files" at boot, and the tracker a burst of 1,000 requests. Past the cap a torrent waits
 * its turn, in the order it asked (a fair semaphore), on a virtual thread that holds no
 * descriptor while it waits.
 *
 * <p>Why {@value #IN_FLIGHT}: libtorrent's default for HTTP announces in flight is 50; ours caps
 * UDP announces too (each holds a socket), so a little lower. A slot is held for one announce to
 * one tracker, which its own time-out bounds (HTTP: 10 s to connect, 10 s for the reply; UDP:
 * BEP 15's retransmits), so a silent tracker slows the queue but cannot hold it. At 32 slots a
 * tracker 100 ms away (two round trips per announce) takes 1,000 first announces in about 6 s.
 *
 * <p>Threads: the semaphore is the only state added to the executor's; any round or farewell
 * thread takes a slot and gives it back itself. No lock is held while a slot is waited for or
 * held.
 */
final class AnnounceClock extends ScheduledThreadPoolExecutor {
    /** Announces of one host on the wire at once (HTTP and UDP, rounds and farewells). */
    static final int IN_FLIGHT = 32;

    private final Semaphore slots;

    AnnounceClock() {
        this(IN_FLIGHT);
    }

    AnnounceClock(int inFlight) {
        super(1, Thread.ofVirtual().name("announce-clock").factory());
        setRemoveOnCancelPolicy(true); // completed() reschedules: the cancelled wait must not linger
        this.slots = new Semaphore(inFlight, true);
    }

    /** Waits for a free slot (in the order asked); interrupted, it gives up without one. */
    void takeSlot() throws InterruptedException {
        slots.acquire();
    }

    /** Gives back a slot taken with {@link #takeSlot}. */
    void giveSlot() {
        slots.release();
    }
}
