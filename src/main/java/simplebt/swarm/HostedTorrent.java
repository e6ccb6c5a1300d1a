package simplebt.swarm;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;

/**
 * One torrent of a {@link SessionHost}, whatever it is doing: the handle a command or menu
 * keeps. Running, it has a {@link TorrentSession}; paused, none (no connections, no announces,
 * data and resume file on disk), and {@link #status()} is the last one seen, with rates and
 * peers at zero. Resuming starts a new session from the resume file.
 *
 * <p>Threads: any thread may call any method. {@code session} changes hands through
 * compare-and-set, so a pause that races a start closes the session exactly once; {@code starting}
 * lets one start run at a time. The other fields are volatile, written by whoever changes the
 * state.
 */
public final class HostedTorrent {
    /** What a torrent is doing, for a table. */
    public enum State {
        /** Its data is being checked before it starts (or it is starting). */
        CHECKING,
        DOWNLOADING,
        SEEDING,
        /** No connections, no announces; resume starts it again. */
        PAUSED,
        /** Its start failed, or it stopped on a fatal error (e.g. disk full); {@code status().failure()} says why. */
        FAILED,
        /** Removed from the host (or the host closed). */
        STOPPED
    }

    private final SessionHost host;
    private final Metainfo meta;
    private final SessionOptions options;
    private final AtomicReference<TorrentSession> session = new AtomicReference<>();
    private final AtomicBoolean starting = new AtomicBoolean();
    private final AtomicLong checkedBytes = new AtomicLong();
    private volatile boolean wantPaused;
    private volatile boolean stopped;
    private volatile Optional<String> startFailure = Optional.empty();
    private volatile SessionStatus last;
    /** Payload bytes of the sessions before the running one (a pause ends a session): for totals and ratios. */
    private volatile long earlierDown;
    private volatile long earlierUp;

    HostedTorrent(SessionHost host, Metainfo meta, SessionOptions options, boolean paused) {
        this.host = host;
        this.meta = meta;
        this.options = options;
        this.wantPaused = paused;
        this.starting.set(!paused); // the host starts it right away: CHECKING from the first look, never PAUSED
        this.last = new SessionStatus(0, meta.info().pieceCount(), 0, meta.info().totalLength(), 0, 0, 0, 0, 0, 0,
                false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public InfoHash infoHash() {
        return meta.infoHash();
    }

    public Metainfo metainfo() {
        return meta;
    }

    public SessionOptions options() {
        return options;
    }

    /** The running session; empty while paused, checking, failed or stopped. */
    public Optional<TorrentSession> session() {
        return Optional.ofNullable(session.get());
    }

    /**
     * Bytes checked so far while {@link State#CHECKING} (the whole torrent is {@code status().totalBytes()});
     * stays 0 when a valid resume file spared the check.
     */
    public long checkedBytes() {
        return checkedBytes.get();
    }

    public SessionStatus status() {
        TorrentSession s = session.get();
        if (s != null) {
            return withEarlier(s.status());
        }
        SessionStatus l = last;
        return startFailure.isPresent() && l.failure().isEmpty() ? withFailure(l, startFailure.get()) : l;
    }

    public State state() {
        if (stopped) {
            return State.STOPPED;
        }
        if (starting.get()) {
            return State.CHECKING;
        }
        SessionStatus s = status();
        if (s.failure().isPresent()) {
            return State.FAILED;
        }
        if (session.get() == null) {
            return State.PAUSED;
        }
        return s.complete() ? State.SEEDING : State.DOWNLOADING;
    }

    /** Waits until every piece is verified (true), or the timeout passes while it runs (false). */
    public boolean awaitCompletion(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TorrentSession s = session.get();
            long left = deadline - System.nanoTime();
            if (s != null) {
                return s.awaitCompletion(Duration.ofNanos(Math.max(0, left)));
            }
            if (status().failure().isPresent()) {
                throw new IOException(status().failure().get());
            }
            if (left <= 0) {
                return status().complete();
            }
            Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000))); // still checking, or paused
        }
    }

    /** Starts it on the caller's thread (the data check included), unless a start is under way. */
    void startNow() throws IOException, InterruptedException {
        if (starting.compareAndSet(false, true)) {
            startClaimed();
        }
    }

    /** The first start, claimed when the host made this handle ({@code starting} is set). */
    void startClaimed() throws IOException, InterruptedException {
        checkedBytes.set(0);
        try {
            TorrentSession s = TorrentSession.start(meta, options.withCheckProgress(this::checked), host.timing(), host, false);
            startFailure = Optional.empty();
            session.set(s);
        } catch (IOException | RuntimeException e) {
            startFailure = Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        } finally {
            starting.set(false);
        }
        if (wantPaused || stopped) {
            closeSession(); // paused or removed while it was checking
        }
    }

    /** The first start on a thread of its own: failures end up in the status. */
    void startClaimedQuietly() {
        try {
            startClaimed();
        } catch (IOException | RuntimeException e) {
            Log.debug("starting " + meta.info().name() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checked(long bytes) {
        checkedBytes.set(bytes);
        options.checkProgress().accept(bytes);
    }

    void pause() {
        wantPaused = true;
        closeSession();
    }

    void resume() throws IOException, InterruptedException {
        if (stopped) {
            throw new IllegalStateException(meta.info().name() + " was removed");
        }
        wantPaused = false;
        if (session.get() == null) {
            startNow();
        }
    }

    /** Removed, or the host closes: stops for good. */
    void stop() {
        stopped = true;
        closeSession();
    }

    private void closeSession() {
        TorrentSession s = session.getAndSet(null);
        if (s == null) {
            return;
        }
        SessionStatus before = s.status();
        s.close();
        SessionStatus at = withEarlier(s.status());
        last = new SessionStatus(at.piecesDone(), at.pieceCount(), at.verifiedBytes(), at.totalBytes(), at.downloaded(),
                at.uploaded(), 0, 0, 0, 0, at.complete(), before.trackerError(), at.failure(), Optional.empty());
        earlierDown = at.downloaded();
        earlierUp = at.uploaded();
    }

    private SessionStatus withEarlier(SessionStatus s) {
        return new SessionStatus(s.piecesDone(), s.pieceCount(), s.verifiedBytes(), s.totalBytes(), s.downloaded() + earlierDown,
                s.uploaded() + earlierUp, s.downloadRate(), s.uploadRate(), s.peers(), s.seeds(), s.complete(),
                s.trackerError(), s.failure(), s.waitingFor());
    }

    private static SessionStatus withFailure(SessionStatus s, String failure) {
        return new SessionStatus(s.piecesDone(), s.pieceCount(), s.verifiedBytes(), s.totalBytes(), s.downloaded(),
                s.uploaded(), 0, 0, 0, 0, s.complete(), s.trackerError(), Optional.of(failure), Optional.empty());
    }
}
