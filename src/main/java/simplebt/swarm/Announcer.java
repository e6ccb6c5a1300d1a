package simplebt.swarm;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import simplebt.log.Log;
import simplebt.trackerclient.TrackerClient;
import simplebt.trackerclient.AnnounceException;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.AnnounceRequest.Event;
import simplebt.trackerclient.AnnounceResponse;
import simplebt.trackerclient.TrackerTiers;

/**
 * Talks to the trackers: {@code started}, then again every {@code interval}, {@code completed}
 * when the download ends, {@code stopped} on close. Each announce goes through the trackers in
 * BEP 12 order ({@link TrackerTiers}) one after the other, without waiting in between, until one
 * answers; only when none does is the next round put off, with growing back-off. A failing
 * tracker never stops the transfer, which goes on with the peers it has.
 *
 * <p>Each round runs on a short-lived virtual thread of its own; between rounds the announcer
 * holds no thread, only its place on a shared clock (the {@link AnnounceClock} of the
 * host, one thread for all its torrents). Before, every torrent kept an announcer thread parked
 * for the whole interval, about 4 KiB of stack chunks on the heap each: a fifth of what an idle
 * seeding torrent kept.
 *
 * <p>Threads: {@code next}, {@code round} and {@code woken} are guarded by {@code lock}.
 * {@code event} and {@code retry} belong to the round thread; rounds never overlap (the next one
 * is scheduled only when the last ends, under {@code lock}, which orders each after the last).
 * close() reads {@code answering} only after the last round has ended; the volatile fields are
 * read by others.
 */
final class Announcer implements AutoCloseable {
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final int NUMWANT = 50;
    /**
     * The most that closing waits for the farewell announces (completed if pending, then
     * stopped). Ctrl-C must not hang on a silent tracker: a UDP one used to hold it 15-30 s
     * (BEP 15's first time-outs). 10 s is the HTTP client's own time-out, so an HTTP farewell is
     * no shorter than before; libtorrent gives up after 1 s by default (stop_tracker_timeout).
     */
    static final Duration FAREWELL = Duration.ofSeconds(10);

    /** Counters for the announce, read fresh each time. */
    record Counters(long uploaded, long downloaded, long left) {
    }

    private final TrackerTiers tiers;
    private final Duration firstRetry;
    private final Duration farewell;
    private final TrackerClient client = new TrackerClient(Duration.ofSeconds(10)); // HTTP(S) or udp://
    /** Volatile: a torrent that goes dormant or wakes hands its announcer to its next owner ({@link #retarget}). */
    private volatile RequestFactory requests;
    private volatile Consumer<AnnounceResponse> onReply;
    private volatile Consumer<String> onFailure;
    /** When the next round starts, and the host's cap on announces in flight; shared with the host's other torrents. */
    private final AnnounceClock clock;
    /** A clock made for this announcer alone (tests): shut down in close. */
    private final boolean ownsClock;
    private final ReentrantLock lock = new ReentrantLock();
    private ScheduledFuture<?> next; // guarded by lock: the round waiting on the clock
    private Thread round; // guarded by lock: the round running now
    private boolean woken; // guarded by lock: completed() came while a round ran
    private Event event = Event.STARTED; // the round thread's
    private Duration retry; // the round thread's
    private volatile boolean stopping;
    /** Set by the first {@link #close}: a later one says no second 'stopped' but waits for the first. */
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    /** Opens when the first {@link #close} has ended ('stopped' said, or given up). */
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean started;
    /** {@code completed} was asked for and no tracker has acknowledged it yet. */
    private volatile boolean completedPending;
    private volatile Optional<AnnounceResponse> last = Optional.empty();
    private volatile Optional<String> lastError = Optional.empty();
    /** The tracker that answered last: {@code stopped} goes there. */
    private volatile Optional<String> answering = Optional.empty();

    interface RequestFactory {
        AnnounceRequest make(Event event, int numwant);
    }

    Announcer(TrackerTiers tiers, RequestFactory requests, Consumer<AnnounceResponse> onReply, Consumer<String> onFailure) {
        this(tiers, FIRST_RETRY, FAREWELL, requests, onReply, onFailure);
    }

    /**
     * An announcer with a clock of its own (tests).
     *
     * @param firstRetry the first back-off after a round in which no tracker answered (tests)
     * @param farewell   the most {@link #close} waits for the farewell announces (tests)
     */
    Announcer(TrackerTiers tiers, Duration firstRetry, Duration farewell, RequestFactory requests,
              Consumer<AnnounceResponse> onReply, Consumer<String> onFailure) {
        this(tiers, firstRetry, farewell, new AnnounceClock(), true, requests, onReply, onFailure);
    }

    /** An announcer whose rounds are started by {@code clock}, the host's (not closed here). */
    Announcer(TrackerTiers tiers, AnnounceClock clock, RequestFactory requests,
              Consumer<AnnounceResponse> onReply, Consumer<String> onFailure) {
        this(tiers, FIRST_RETRY, FAREWELL, clock, false, requests, onReply, onFailure);
    }

    private Announcer(TrackerTiers tiers, Duration firstRetry, Duration farewell, AnnounceClock clock,
                      boolean ownsClock, RequestFactory requests, Consumer<AnnounceResponse> onReply,
                      Consumer<String> onFailure) {
        this.tiers = tiers;
        this.firstRetry = firstRetry;
        this.retry = firstRetry;
        this.farewell = farewell;
        this.clock = clock;
        this.ownsClock = ownsClock;
        this.requests = requests;
        this.onReply = onReply;
        this.onFailure = onFailure;
        if (!tiers.isEmpty()) {
            startRound(); // 'started' at once, without a trip through the clock
        }
    }

    /** The download finished: announce {@code completed} now (after the round in flight, if one is). */
    void completed() {
        completedPending = true;
        lock.lock();
        try {
            if (stopping) {
                return;
            }
            if (round != null) {
                woken = true;
            } else if (next != null && next.cancel(false)) {
                next = schedule(Duration.ZERO);
            } // else: the clock is starting the next round right now, and it will see completedPending
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where the counters and replies come from now: a seeding torrent that goes dormant keeps its
     * announcer (its schedule, tracker id and 'started' state) without its session, and the
     * session that wakes it takes the announcer back. The round in flight may still use the old ones.
     */
    void retarget(RequestFactory requests, Consumer<AnnounceResponse> onReply, Consumer<String> onFailure) {
        this.requests = requests;
        this.onReply = onReply;
        this.onFailure = onFailure;
    }

    Optional<AnnounceResponse> lastReply() {
        return last;
    }

    Optional<String> lastError() {
        return lastError;
    }

    /** Called by the clock (or the constructor): starts the next round on a thread of its own unless closing. */
    private void startRound() {
        lock.lock();
        try {
            if (stopping || round != null) {
                return;
            }
            next = null;
            round = Thread.ofVirtual().name("announcer").unstarted(this::runRound);
            round.start();
        } finally {
            lock.unlock();
        }
    }

    /** Null when the clock is shut down: the host is closing, and this torrent is closed right after. */
    private ScheduledFuture<?> schedule(Duration wait) {
        try {
            return clock.schedule(this::startRound, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** One round on the round thread, then its successor put on the clock. */
    private void runRound() {
        Duration wait;
        if (event == Event.NONE && completedPending) {
            event = Event.COMPLETED; // woken while waiting for a regular round
        }
        try {
            AnnounceResponse reply = round(event);
            started = true;
            if (event == Event.COMPLETED) {
                completedPending = false;
            }
            last = Optional.of(reply);
            lastError = Optional.empty();
            onReply.accept(reply);
            // finished while 'started' was still failing: the wake-up was dropped, say it now
            event = completedPending ? Event.COMPLETED : Event.NONE;
            retry = firstRetry;
            wait = completedPending ? Duration.ZERO : Duration.ofSeconds(reply.interval());
        } catch (AnnounceException e) {
            lastError = Optional.of(e.getMessage());
            onFailure.accept(e.getMessage());
            wait = retry;
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        } catch (InterruptedException e) {
            wait = null; // close() gave up waiting for this round
        }
        lock.lock();
        try {
            round = null;
            if (stopping || wait == null) {
                return;
            }
            if (woken) {
                woken = false;
                wait = Duration.ZERO; // completed() came during this round
            }
            next = schedule(wait);
        } finally {
            lock.unlock();
        }
    }

    /** One announce: each tracker in turn until one answers (BEP 12); the last error if none does. */
    private AnnounceResponse round(Event event) throws AnnounceException, InterruptedException {
        AnnounceException failed = null;
        int tried = 0;
        for (String url : tiers.order()) {
            if (stopping) {
                break;
            }
            clock.takeSlot(url); // the tracker's and the host's caps on announces in flight: wait our turn (interrupted by close)
            try {
                if (stopping) {
                    break; // closed while waiting: no 'started' just before the 'stopped'
                }
                tried++;
                Log.debug("announce " + event + " to " + url);
                AnnounceResponse reply = client.announce(url, requests.make(event, NUMWANT));
                tiers.answered(url);
                answering = Optional.of(url);
                return reply;
            } catch (AnnounceException e) {
                Log.debug("announce to " + url + " failed: " + e.getMessage());
                failed = e;
            } finally {
                clock.giveSlot(url);
            }
        }
        if (failed == null) {
            throw new AnnounceException("stopping", false);
        }
        throw tried == 1 ? failed : new AnnounceException("none of " + tried + " trackers answered; the last: "
                + failed.getMessage(), false);
    }

    /**
     * Stops announcing and, if we ever announced, says {@code stopped} (bounded by the client's
     * timeout). Once: a second call, say a host's close while a dormant torrent's wake fails,
     * returns when the first has said it (so a caller that must not return before 'stopped',
     * serve's Ctrl-C, need not be the one that says it).
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        try {
            closeOnce();
        } finally {
            closed.countDown();
        }
    }

    private void awaitClosed() {
        try {
            closed.await(farewell.toMillis() + 5_000, TimeUnit.MILLISECONDS); // the first close is bounded: 2 s + farewell + 1 s
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeOnce() {
        Thread inFlight;
        lock.lock();
        try {
            stopping = true;
            if (next != null) {
                next.cancel(false);
                next = null;
            }
            inFlight = round; // an announce in flight may finish (else it could count twice)
        } finally {
            lock.unlock();
        }
        try {
            if (inFlight != null) {
                inFlight.join(1_000);
                if (inFlight.isAlive()) {
                    inFlight.interrupt();
                    inFlight.join(1_000);
                }
            }
        } catch (InterruptedException e) {
            inFlight.interrupt();
            Thread.currentThread().interrupt();
        }
        if (started && answering.isPresent()) {
            Thread goodbye = Thread.ofVirtual().name("announce-stopped").start(() -> farewell(answering.get()));
            try {
                if (!goodbye.join(farewell)) {
                    Log.debug("stopped announce: no answer within " + farewell.toSeconds() + " s; giving up");
                    goodbye.interrupt(); // an interrupted UDP or HTTP wait ends at once
                    goodbye.join(Duration.ofSeconds(1));
                }
            } catch (InterruptedException e) {
                goodbye.interrupt();
                Thread.currentThread().interrupt();
            }
        }
        client.close();
        if (ownsClock) {
            clock.shutdownNow();
        }
    }

    /**
     * Runs on its own thread so that {@link #close} can bound it. It takes a slot of the host's
     * cap like any announce, so that a host closing 1,000 torrents does not open 1,000
     * connections at once; the wait for the slot counts against the same farewell budget, so
     * Ctrl-C takes no longer than before (the host closes its torrents in parallel).
     */
    private void farewell(String url) {
        try {
            clock.takeSlot(url);
        } catch (InterruptedException e) {
            Log.debug("stopped announce abandoned while waiting for a slot");
            return;
        }
        try {
            if (completedPending) {
                // closed right after finishing, before the loop got it through: the tracker's
                // completed count (BEP 3 'completed') must not miss this download
                client.announce(url, requests.make(Event.COMPLETED, 0));
            }
            client.announce(url, requests.make(Event.STOPPED, 0));
        } catch (AnnounceException e) {
            Log.debug("stopped announce failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Log.debug("stopped announce abandoned");
        } finally {
            clock.giveSlot(url);
        }
    }
}
