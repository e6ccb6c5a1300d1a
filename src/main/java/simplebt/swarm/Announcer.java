package simplebt.swarm;

import java.time.Duration;
import java.util.List;
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

/**
 * Talks to the trackers on its own virtual thread: {@code started}, then again every
 * {@code interval}, {@code completed} when the download ends, {@code stopped} on close. A
 * failing tracker is retried with growing back-off and tried in turn with the others; it never
 * stops the transfer, which goes on with the peers it has.
 */
final class Announcer implements AutoCloseable {
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final int NUMWANT = 50;

    /** Counters for the announce, read fresh each time. */
    record Counters(long uploaded, long downloaded, long left) {
    }

    private final List<String> trackers;
    private final TrackerClient client = new TrackerClient(Duration.ofSeconds(10)); // HTTP(S) or udp://
    private final RequestFactory requests;
    private final Consumer<AnnounceResponse> onReply;
    private final LinkedBlockingQueue<Event> wake = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean started;
    /** {@code completed} was asked for and no tracker has acknowledged it yet. */
    private volatile boolean completedPending;
    private volatile Optional<AnnounceResponse> last = Optional.empty();
    private volatile Optional<String> lastError = Optional.empty();
    private int current;

    interface RequestFactory {
        AnnounceRequest make(Event event, int numwant);
    }

    Announcer(List<String> trackers, RequestFactory requests, Consumer<AnnounceResponse> onReply) {
        this.trackers = List.copyOf(trackers);
        this.requests = requests;
        this.onReply = onReply;
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
        Duration retry = FIRST_RETRY;
        while (!stopping && !trackers.isEmpty()) {
            Duration wait;
            try {
                AnnounceResponse reply = send(event, NUMWANT);
                started = true;
                if (event == Event.COMPLETED) {
                    completedPending = false;
                }
                last = Optional.of(reply);
                lastError = Optional.empty();
                onReply.accept(reply);
                // finished while 'started' was still failing: the wake-up was dropped, say it now
                event = completedPending ? Event.COMPLETED : Event.NONE;
                retry = FIRST_RETRY;
                wait = completedPending ? Duration.ZERO : Duration.ofSeconds(reply.interval());
            } catch (AnnounceException e) {
                lastError = Optional.of(e.getMessage());
                Log.debug("announce to " + trackers.get(current) + " failed: " + e.getMessage());
                current = (current + 1) % trackers.size();
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

    private AnnounceResponse send(Event event, int numwant) throws AnnounceException, InterruptedException {
        String url = trackers.get(current);
        Log.debug("announce " + event + " to " + url);
        return client.announce(url, requests.make(event, numwant));
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
        if (started) {
            try {
                if (completedPending) {
                    // closed right after finishing, before the loop got it through: the tracker's
                    // completed count (BEP 3 'completed') must not miss this download
                    client.announce(trackers.get(current), requests.make(Event.COMPLETED, 0));
                }
                client.announce(trackers.get(current), requests.make(Event.STOPPED, 0));
            } catch (AnnounceException e) {
                Log.debug("stopped announce failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
    }
}
