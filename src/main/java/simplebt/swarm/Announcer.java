package simplebt.swarm;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import simplebt.log.Log;
import simplebt.trackerclient.TrackerClient;
import simplebt.trackerclient.AnnounceException;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.AnnounceRequest.Event;
import simplebt.trackerclient.AnnounceResponse;
import simplebt.trackerclient.TrackerTiers;

/**
 * Talks to the trackers on its own virtual thread: {@code started}, then again every
 * {@code interval}, {@code completed} when the download ends, {@code stopped} on close. Each
 * announce goes through the trackers in BEP 12 order ({@link TrackerTiers}) one after the other,
 * without waiting in between, until one answers; only when none does is the next round put off,
 * with growing back-off. A failing tracker never stops the transfer, which goes on with the
 * peers it has.
 *
 * <p>Threads: {@code tiers} and {@code event} belong to the announcer thread (close() reads
 * {@code answering} only after that thread has ended); the volatile fields are read by others.
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
    private final RequestFactory requests;
    private final Consumer<AnnounceResponse> onReply;
    private final Consumer<String> onFailure;
    private final LinkedBlockingQueue<Event> wake = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;
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
     * @param firstRetry the first back-off after a round in which no tracker answered (tests)
     * @param farewell   the most {@link #close} waits for the farewell announces (tests)
     */
    Announcer(TrackerTiers tiers, Duration firstRetry, Duration farewell, RequestFactory requests,
              Consumer<AnnounceResponse> onReply, Consumer<String> onFailure) {
        this.tiers = tiers;
        this.firstRetry = firstRetry;
        this.farewell = farewell;
        this.requests = requests;
        this.onReply = onReply;
        this.onFailure = onFailure;
        this.thread = Thread.ofVirtual().name("announcer").start(this::loop);
    }

    /** The download finished: announce {@code completed} now. */
    void completed() {
        completedPending = true;
        wake.add(Event.COMPLETED);
    }

    Optional<AnnounceResponse> lastReply() {
        return last;
    }

    Optional<String> lastError() {
        return lastError;
    }

    private void loop() {
        Event event = Event.STARTED;
        Duration retry = firstRetry;
        while (!stopping && !tiers.isEmpty()) {
            Duration wait;
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
                return;
            }
            try {
                Event woken = wake.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                if (stopping) {
                    return;
                }
                if (woken != null && event == Event.NONE) {
                    event = woken;
                }
            } catch (InterruptedException e) {
                return;
            }
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
            tried++;
            Log.debug("announce " + event + " to " + url);
            try {
                AnnounceResponse reply = client.announce(url, requests.make(event, NUMWANT));
                tiers.answered(url);
                answering = Optional.of(url);
                return reply;
            } catch (AnnounceException e) {
                Log.debug("announce to " + url + " failed: " + e.getMessage());
                failed = e;
            }
        }
        if (failed == null) {
            throw new AnnounceException("stopping", false);
        }
        throw tried == 1 ? failed : new AnnounceException("none of " + tried + " trackers answered; the last: "
                + failed.getMessage(), false);
    }

    /** Stops the loop and, if we ever announced, says {@code stopped} (bounded by the client's timeout). */
    @Override
    public void close() {
        stopping = true;
        wake.add(Event.STOPPED); // ends the wait; an announce in flight may finish (else it could count twice)
        try {
            thread.join(1_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            thread.interrupt();
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
    }

    /** Runs on its own thread so that {@link #close} can bound it. */
    private void farewell(String url) {
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
        }
    }
}
