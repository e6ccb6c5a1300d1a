package simplebt.swarm;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.log.Log;
import simplebt.metainfo.Info;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.trackerclient.AnnounceResponse;

/**
 * One torrent of a {@link SessionHost}, whatever it is doing: the handle a command or menu
 * keeps. Running, it has a {@link TorrentSession}; paused, none (no connections, no announces,
 * data and resume file on disk), and {@link #status()} is the last one seen, with rates and
 * peers at zero. Resuming starts a new session from the resume file. Dormant (a complete seed
 * without peers on a host that {@link SessionHost#sleepIdleSeeds sleeps idle seeds}), it has no
 * session either but seeds on: its {@link Dormancy} announces, and the first incoming peer
 * starts a session from the resume file and is handed to it; a tracker reply that reports
 * leechers starts one too, which dials them (a seed behind NAT is reached by nobody).
 *
 * <p>Threads: any thread may call any method. {@code session} changes hands through
 * compare-and-set, so a pause that races a start closes the session exactly once; {@code starting}
 * lets one start run at a time. The other fields are volatile, written by whoever changes the
 * state. The dormancy (its own fields and locks, see there) sets {@code session} when a wake
 * has built one and takes it when the torrent falls asleep, through the package-private
 * methods below; of this class's locks it takes only {@code totals}, through those.
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
    private final InfoHash infoHash;
    private final String name;
    private final SessionOptions options;
    /** Falling asleep, dormant, waking: its own fields and locks. */
    private final Dormancy dormancy;
    private final AtomicReference<TorrentSession> session = new AtomicReference<>();
    private final AtomicBoolean starting = new AtomicBoolean();
    private final AtomicLong checkedBytes = new AtomicLong();
    private volatile boolean wantPaused;
    private volatile boolean stopped;
    private volatile Optional<String> startFailure = Optional.empty();
    private volatile SessionStatus last;
    /**
     * Makes taking a session away and saying its totals in {@code last} one step for
     * {@link #status()}, which reads {@code session} and its counters under it: a reader sees
     * the session's counters or a {@code last} at least as high, never the older totals (serve's
     * RunTotals reads a total that went down as "counted from zero again" and adds all of it).
     * A leaf lock, held only while counters are read (no I/O); taken by status() callers and by
     * whoever ends a session (pause, stop, falling asleep).
     */
    private final ReentrantLock totals = new ReentrantLock();
    /** Payload bytes of the sessions before the running one (a pause ends a session): for totals and ratios. */
    private volatile long earlierDown;
    private volatile long earlierUp;

    HostedTorrent(SessionHost host, Metainfo meta, SessionOptions options, boolean paused) {
        this.host = host;
        this.dormancy = new Dormancy(this, host, meta, options);
        this.infoHash = meta.infoHash();
        this.name = meta.info().name();
        this.options = options;
        this.wantPaused = paused;
        this.starting.set(!paused); // the host starts it right away: CHECKING from the first look, never PAUSED
        this.last = new SessionStatus(0, meta.info().pieceCount(), 0, meta.info().totalLength(), 0, 0, 0, 0, 0, 0,
                false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /** Its name (the info's), without parsing a dormant torrent again. */
    public String name() {
        return name;
    }

    /** The torrent; a dormant one parses its kept bytes afresh for each call (the status line needs only {@link #name}). */
    public Metainfo metainfo() {
        return dormancy.metainfo();
    }

    public SessionOptions options() {
        return options;
    }

    /** Dormant: seeding without a session until a peer connects (it still announces on schedule). */
    public boolean isDormant() {
        return dormancy.isDormant();
    }

    /** The running session; empty while paused, checking, failed, stopped or dormant. */
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
        totals.lock();
        try {
            TorrentSession s = session.get();
            if (s != null) {
                return withEarlier(s.status());
            }
        } finally {
            totals.unlock();
        }
        SessionStatus l = last;
        return startFailure.isPresent() && l.failure().isEmpty() ? withFailure(l, startFailure.get()) : l;
    }

    public State state() {
        if (stopped) {
            return State.STOPPED;
        }
        // a pause shows at once, also while the check of a start or wake, or a fall-asleep, it
        // ends runs on (the menu has said "Paused" by then)
        boolean paused = wantPaused;
        if (!paused && (starting.get() || dormancy.isWaking())) {
            return State.CHECKING;
        }
        SessionStatus s = status();
        if (s.failure().isPresent()) {
            return State.FAILED;
        }
        if (session.get() == null || paused) {
            return isDormant() && !paused ? State.SEEDING : State.PAUSED;
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
            Optional<String> failure = status().failure();
            if (failure.isPresent()) {
                throw new IOException(failure.get());
            }
            if (isDormant()) {
                return true; // only a complete torrent goes dormant
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
            if (!dormancy.startDormant()) {
                TorrentSession s = startSession(null);
                session.set(s);
            }
            startFailure = Optional.empty();
        } catch (IOException | RuntimeException e) {
            startFailure = Optional.of(reason(e));
            throw e;
        } finally {
            starting.set(false);
        }
        if (wantPaused || stopped) {
            closeSession(); // paused or removed while it was checking
            dormancy.end();
        }
    }

    /** A session (with {@code woken}: one that takes over from the dormant torrent); it tells the dormancy when it is idle. */
    TorrentSession startSession(DormantSeed woken) throws IOException, InterruptedException {
        Optional<Duration> after = host.idleSeedSleep();
        return TorrentSession.start(metainfo(), options.withCheckProgress(this::checked), host.timing(), host, false, woken,
                after.isPresent() ? dormancy::idle : null, after.map(d -> Math.max(1, d.toSeconds())).orElse(0L));
    }

    /** The running session, or null (for the dormancy). */
    TorrentSession running() {
        return session.get();
    }

    /** A wake built {@code s}: it runs now. */
    void running(TorrentSession s) {
        session.set(s);
    }

    /** Paused or removed: no wake or fall-asleep goes on. */
    boolean halted() {
        return wantPaused || stopped;
    }

    /** A wake failed: the status says why; returns that. */
    String startFailed(Exception e) {
        String why = reason(e);
        startFailure = Optional.of(why);
        return why;
    }

    /**
     * Started dormant, without a session: complete, with the totals of the sessions before (after
     * a pause and resume); the dormant announcer counts from 0 since its 'started'.
     */
    void seedsWithoutSession(Info info) {
        long total = info.totalLength();
        last = new SessionStatus(info.pieceCount(), info.pieceCount(), total, total, earlierDown, earlierUp,
                0, 0, 0, 0, true, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** As {@link Dormancy#reportsLeechers}. */
    static boolean reportsLeechers(AnnounceResponse reply) {
        return Dormancy.reportsLeechers(reply);
    }

    /** What a failed start or wake says in the status: the message, or the exception's name when it has none. */
    private static String reason(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** The first start on a thread of its own: failures end up in the status. */
    void startClaimedQuietly() {
        try {
            startClaimed();
        } catch (IOException | RuntimeException e) {
            Log.debug("starting " + name + " failed: " + e.getMessage());
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
        dormancy.paused();
    }

    void resume() throws IOException, InterruptedException {
        if (stopped) {
            throw new IllegalStateException(name + " was removed");
        }
        wantPaused = false;
        // a wake or fall-asleep under way ends first: its session or record is the torrent then
        boolean dormant = dormancy.awaitSettled();
        if (!dormant && session.get() == null && !halted()) { // a pause or remove while it waited wins
            startNow();
        }
    }

    /** Removed, or the host closes: stops for good. */
    void stop() {
        stopped = true;
        closeSession();
        dormancy.stopped();
    }

    void closeSession() {
        TorrentSession s = session.get();
        while (s != null && !takeSession(s)) {
            s = session.get(); // taken by another closer meanwhile, or replaced
        }
        if (s == null) {
            return;
        }
        SessionStatus before = s.status();
        s.close();
        keepLast(s, before);
    }

    /**
     * Takes {@code s} out of {@code session} (false: it is not there) and has {@code last} say its
     * totals so far in the same step, so that status() never falls back to older totals while
     * it closes or falls asleep; {@link #keepLast} then says the final ones.
     */
    boolean takeSession(TorrentSession s) {
        totals.lock();
        try {
            if (!session.compareAndSet(s, null)) {
                return false;
            }
            last = ended(s, s.status());
            return true;
        } finally {
            totals.unlock();
        }
    }

    /** After a session ended: its last status (rates and peers at zero) and its totals, for the next one to add to. */
    void keepLast(TorrentSession s, SessionStatus before) {
        SessionStatus at = ended(s, before);
        last = at;
        earlierDown = at.downloaded();
        earlierUp = at.uploaded();
    }

    /** {@code s}'s status now with the earlier sessions' totals, rates and peers at zero. */
    private SessionStatus ended(TorrentSession s, SessionStatus before) {
        SessionStatus at = withEarlier(s.status());
        return new SessionStatus(at.piecesDone(), at.pieceCount(), at.verifiedBytes(), at.totalBytes(), at.downloaded(),
                at.uploaded(), 0, 0, 0, 0, at.complete(), before.trackerError(), at.failure(), Optional.empty());
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
