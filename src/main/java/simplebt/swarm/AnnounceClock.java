package simplebt.swarm;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;

/**
 * A host's clock for its torrents' announces: one virtual thread that starts each round when it
 * is due (each round then runs on a thread of its own), and caps on how many announces are on
 * the wire at once, to each tracker and for the whole host.
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
 * UDP announces too (each holds a socket), so a little lower. At 32 slots a tracker 100 ms away
 * (two round trips per announce) takes 1,000 first announces in about 6 s.
 *
 * <p>Why per tracker: a slot is held for one announce to one tracker until its own time-out
 * (HTTP: 10 s to connect, 10 s for the reply; UDP: BEP 15's retransmits, 15 + 30 + 60 s). With
 * one cap for the whole host, 32 torrents on one silent UDP tracker (public torrents often list
 * the same dead one first) took every slot for 105 s, and no other torrent of the host could
 * announce, not even to a tracker that answers at once. So each tracker (scheme, host and port)
 * has {@value #IN_FLIGHT} slots of its own: a dead tracker stalls only the announces waiting for
 * it, and one healthy tracker keeps its full speed. Giving the slot back between
 * retransmissions would not do: the UDP socket stays open for the late reply BEP 15 accepts, so
 * the descriptors would be unbounded again. The descriptors stay bounded by a host-wide cap of
 * {@value #HOST_WIDE} above the per-tracker ones, the most {@value #HOST_WIDE} / {@value #IN_FLIGHT}
 * silent trackers at once could stall; far under the usual {@code ulimit -n} of 1024.
 *
 * <p>Threads: the semaphores are the only state added to the executor's (the map is concurrent,
 * and holds one small semaphore per tracker the host's torrents name); any round or farewell
 * thread takes a slot and gives it back itself. No lock is held while a slot is waited for or
 * held.
 */
final class AnnounceClock extends ScheduledThreadPoolExecutor {
    /** Announces to one tracker on the wire at once (HTTP and UDP, rounds and farewells). */
    static final int IN_FLIGHT = 32;
    /** Announces of one host on the wire at once, whatever their tracker: the descriptor bound. */
    static final int HOST_WIDE = 4 * IN_FLIGHT;

    private final int perTracker;
    private final ConcurrentHashMap<String, Semaphore> trackerSlots = new ConcurrentHashMap<>();
    private final Semaphore hostSlots;

    AnnounceClock() {
        this(IN_FLIGHT);
    }

    AnnounceClock(int perTracker) {
        super(1, Thread.ofVirtual().name("announce-clock").factory());
        setRemoveOnCancelPolicy(true); // completed() reschedules: the cancelled wait must not linger
        this.perTracker = perTracker;
        this.hostSlots = new Semaphore(HOST_WIDE, true);
    }

    /**
     * Waits for a free slot of {@code url}'s tracker, then of the host (each in the order
     * asked); interrupted, it gives up without one.
     */
    void takeSlot(String url) throws InterruptedException {
        Semaphore tracker = slotsOf(url);
        tracker.acquire(); // first: a torrent queued for a dead tracker holds none of the host's slots
        try {
            hostSlots.acquire();
        } catch (InterruptedException e) {
            tracker.release();
            throw e;
        }
    }

    /** Gives back a slot taken with {@link #takeSlot} for the same {@code url}. */
    void giveSlot(String url) {
        hostSlots.release();
        slotsOf(url).release();
    }

    private Semaphore slotsOf(String url) {
        return trackerSlots.computeIfAbsent(trackerOf(url), k -> new Semaphore(perTracker, true));
    }

    /** Scheme, host and port: the paths and passkeys of one tracker share its slots. */
    static String trackerOf(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() != null) {
                return (uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort()).toLowerCase(Locale.ROOT);
            }
        } catch (IllegalArgumentException e) {
            // not a URL the client could use either: its own key, it fails at once
        }
        return url;
    }
}
