package simplebt.swarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;
import simplebt.storage.FileSelection;
import simplebt.storage.ResumeFile;
import simplebt.storage.Storage;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.AnnounceResponse;
import simplebt.trackerclient.SwarmSecretStore;
import simplebt.trackerclient.TrackerTiers;
import simplebt.wire.Handshake;

/**
 * One torrent of a {@link SessionHost}, whatever it is doing: the handle a command or menu
 * keeps. Running, it has a {@link TorrentSession}; paused, none (no connections, no announces,
 * data and resume file on disk), and {@link #status()} is the last one seen, with rates and
 * peers at zero. Resuming starts a new session from the resume file. Dormant (a complete seed
 * without peers on a host that {@link SessionHost#sleepIdleSeeds sleeps idle seeds}), it has no
 * session either but seeds on: a {@link DormantSeed} announces, and the first incoming peer
 * starts a session from the resume file and is handed to it; a tracker reply that reports
 * leechers starts one too, which dials them (a seed behind NAT is reached by nobody).
 *
 * <p>Threads: any thread may call any method. {@code session} changes hands through
 * compare-and-set, so a pause that races a start closes the session exactly once; {@code starting}
 * lets one start run at a time; {@code dormant} is taken with getAndSet, so one waker, pause or
 * stop ends a dormancy. The other fields are volatile, written by whoever changes the state
 * (falling asleep: a virtual thread of its own, or the starting thread for a torrent that
 * starts dormant; waking: the incoming connection's thread, or one of its own for a tracker
 * reply's leechers).
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
    /**
     * The parsed torrent; null while dormant, when only {@code dormantTorrent}, its bytes, is kept:
     * the parse keeps the piece hashes up to four times over (file bytes, bencoded tree, info
     * bytes, hashes) and the tree as objects, more than the rest of a dormant torrent together.
     * Written by whoever puts it to sleep or wakes it (volatile).
     */
    private volatile Metainfo meta;
    private volatile byte[] dormantTorrent;
    private final SessionOptions options;
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
    /**
     * While dormant (a complete seed without peers, see {@link SessionHost#sleepIdleSeeds}): what
     * it keeps instead of a session, and its place in the router. Taken with getAndSet, so one
     * waker, pause or stop ends the dormancy exactly once.
     */
    private final AtomicReference<Dormant> dormant = new AtomicReference<>();
    /**
     * Before this (System.nanoTime) no tracker reply wakes the dormant torrent to dial leechers:
     * one announce interval after the last such wake, so a seed whose leechers cannot be reached
     * wakes, fails its dials and sleeps again at most once per interval. Written by the thread
     * that wakes it for a reply, read by the announcer's callback (volatile).
     */
    private volatile long nextReplyWake = System.nanoTime();
    /** Between a session's end and the dormant record's registration: still seeding, not paused. */
    private volatile boolean fallingAsleep;
    /**
     * While a wake builds the session (a data check included, when the files changed while it
     * slept): neither session nor dormant record, yet not paused but {@link State#CHECKING}.
     * Written by the waking thread.
     */
    private volatile boolean waking;
    /**
     * The announcer of the dormant torrent, which goes on in a session woken from it, or of the
     * session falling asleep (set just before that session is taken): {@link #stop} closes it, so
     * that the trackers hear 'stopped' before stop returns even while a wake or a fall-asleep has
     * neither session nor dormant record in place (serve halts right after the host's close).
     * Stale once that lineage ended (it is closed then, and closing it again says nothing);
     * dropped by a pause. Written by whoever starts it dormant (under {@code announcerStart}),
     * puts it to sleep or pauses it.
     */
    private volatile Optional<Announcer> carried = Optional.empty();
    /**
     * Makes startDormant's last look at the host and its announcer's start ('started' at once)
     * one step against stop()'s look at {@code carried}: a host that closes meanwhile is either
     * seen closed (no 'started') or its stop() sees the announcer and has it say 'stopped'. Held
     * only while an announcer is made (it starts a thread; no I/O) or {@code carried} read.
     */
    private final ReentrantLock announcerStart = new ReentrantLock();

    /** A dormant torrent's record and its registration with the router. */
    private record Dormant(DormantSeed seed, RoutedTorrent routed) {
    }

    HostedTorrent(SessionHost host, Metainfo meta, SessionOptions options, boolean paused) {
        this.host = host;
        this.meta = meta;
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
        while (true) {
            Metainfo m = meta;
            if (m != null) {
                return m;
            }
            byte[] raw = dormantTorrent;
            if (raw != null) {
                return parse(raw);
            }
            Thread.onSpinWait(); // waking right now: meta is set before the bytes are dropped
        }
    }

    private static Metainfo parse(byte[] raw) {
        try {
            return Metainfo.parse(raw);
        } catch (MetainfoException e) {
            throw new IllegalStateException("a torrent's own bytes no longer parse: " + e.getMessage(), e);
        }
    }

    /** Going dormant: the parsed torrent goes, its bytes stay. */
    private void dropMetainfo(Metainfo m) {
        dormantTorrent = m.raw();
        meta = null;
    }

    /** Waking (or paused, stopped): the parsed torrent again. */
    private Metainfo restoreMetainfo() {
        Metainfo m = metainfo();
        meta = m;
        dormantTorrent = null;
        return m;
    }

    public SessionOptions options() {
        return options;
    }

    /** Dormant: seeding without a session until a peer connects (it still announces on schedule). */
    public boolean isDormant() {
        return dormant.get() != null || fallingAsleep;
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
        if (starting.get() || waking) {
            return State.CHECKING;
        }
        SessionStatus s = status();
        if (s.failure().isPresent()) {
            return State.FAILED;
        }
        if (session.get() == null) {
            return isDormant() ? State.SEEDING : State.PAUSED;
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
            if (!startDormant()) {
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
            endDormancy();
        }
    }

    /**
     * A host that sleeps idle seeds starts a torrent its resume file vouches for whole dormant at
     * once, without first building a session (storage, swarm, picker, dialer, tick) to drop at its
     * first idle tick: 500 of them built at once were serve's peak RSS. Only the plain case:
     * every file chosen, no part file, no peers given; anything else starts a session, which
     * checks and settles as ever. False when it did not.
     */
    private boolean startDormant() throws IOException {
        Metainfo m = meta;
        if (host.idleSeedSleep().isEmpty() || !options.peers().isEmpty() || host.isClosed() || !vouchedWhole(m)) {
            return false;
        }
        TrackerTiers trackers = TorrentSession.trackerTiers(m, options);
        boolean announcing = options.useTrackers() && !trackers.isEmpty();
        SwarmKeyHolder key = new SwarmKeyHolder(infoHash, m.info().isPrivate(), options.configDir().map(SwarmSecretStore::new));
        key.start(announcing);
        byte[] peerId = Handshake.newPeerId();
        fallingAsleep = true;
        try {
            Optional<Announcer> announcer;
            announcerStart.lock();
            try {
                if (host.isClosed()) {
                    return false; // closed while the resume file was read: the session start that follows refuses too
                }
                announcer = announcing ? Optional.of(new Announcer(trackers, host.announceClock(),
                        dormantRequests(peerId, 0, 0), reply -> onDormantReply(key, reply), key::onTrackerFailure))
                        : Optional.empty();
                carried = announcer;
            } finally {
                announcerStart.unlock();
            }
            long total = m.info().totalLength();
            // the announcer counts from 0 since its 'started'; the torrent's totals go on (after a pause and resume)
            last = new SessionStatus(m.info().pieceCount(), m.info().pieceCount(), total, total, earlierDown, earlierUp,
                    0, 0, 0, 0, true, Optional.empty(), Optional.empty(), Optional.empty());
            enterDormancy(new DormantSeed(announcer, key, peerId, 0, 0, Optional.empty()), m);
        } finally {
            fallingAsleep = false;
        }
        return true;
    }

    /** Every file chosen, no part file, and the resume file vouches for every piece against the files' sizes and times. */
    private boolean vouchedWhole(Metainfo m) throws IOException {
        ResumeFile resume = new ResumeFile(options.dataDir(), infoHash);
        int pieces = m.info().pieceCount();
        BitSet chosen = options.selection().chosen(m.info());
        if (chosen.cardinality() != FileSelection.ALL.chosen(m.info()).cardinality()
                || Files.exists(resume.partPath(), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Storage storage = new Storage(options.dataDir(), m.info())) {
            return resume.load(storage).map(BitSet::cardinality).orElse(-1) == pieces;
        }
    }

    private TorrentSession startSession(DormantSeed woken) throws IOException, InterruptedException {
        Optional<Duration> after = host.idleSeedSleep();
        return TorrentSession.start(metainfo(), options.withCheckProgress(this::checked), host.timing(), host, false, woken,
                after.isPresent() ? this::idle : null, after.map(d -> Math.max(1, d.toSeconds())).orElse(0L));
    }

    /** The session's tick found it complete and idle: it goes dormant, on a thread of its own (the tick must end). */
    private void idle() {
        TorrentSession s = session.get();
        if (s != null) {
            Thread.ofVirtual().name("dormant-" + infoHash.hex()).start(() -> fallAsleep(s));
        }
    }

    private void fallAsleep(TorrentSession s) {
        if (wantPaused || stopped) {
            return;
        }
        Log.debug(name + " goes dormant: complete, and no peer for " + host.idleSeedSleep().map(Duration::toSeconds).orElse(0L) + " s");
        fallingAsleep = true;
        carried = s.announcer(); // before the session is taken: a stop from then on finds it here
        try {
            if (!takeSession(s)) {
                return; // paused or stopped meanwhile: that one closed it
            }
            SessionStatus before = s.status();
            DormantSeed seed = s.sleep();
            Log.debug(name + ": its session ended; its announcer goes on for the dormant torrent");
            keepLast(s, before);
            seed.announcer().ifPresent(a -> a.retarget(dormantRequests(seed.peerId(), seed.uploaded(), seed.downloaded()),
                    reply -> onDormantReply(seed.key(), reply), seed.key()::onTrackerFailure));
            enterDormancy(seed, metainfo());
        } finally {
            fallingAsleep = false;
        }
        if (wantPaused || stopped) {
            endDormancy(); // paused or removed while it fell asleep
        }
    }

    /** Keeps {@code seed} instead of a session: the torrent's bytes instead of its parse, and a place in the router. */
    private void enterDormancy(DormantSeed seed, Metainfo m) {
        RoutedTorrent routed = new RoutedTorrent(infoHash, options.encryption(), seed.key(), host.dormantSecurity(), this::wake);
        dropMetainfo(m);
        dormant.set(new Dormant(seed, routed));
        if (!host.router().register(routed)) {
            Log.debug(name + ": cannot go dormant, another registration holds its info hash");
        }
        Log.debug(name + " is dormant (complete, no peers)");
    }

    /** A dormant torrent's announces: its totals since 'started', nothing left. */
    private Announcer.RequestFactory dormantRequests(byte[] peerId, long uploaded, long downloaded) {
        return (event, numwant) -> new AnnounceRequest(infoHash, peerId, host.port(), uploaded, downloaded, 0, event, numwant);
    }

    /**
     * A dormant torrent's tracker reply (on the announcer's thread): its swarm secret, and, when
     * it reports leechers, a wake-up on a thread of its own whose session dials them. Leechers
     * that can reach us come by themselves, but a seed behind NAT without a forwarded port is
     * reached by nobody: before dormancy its session dialed the peers each reply brought, so
     * the dormant one must too.
     */
    private void onDormantReply(SwarmKeyHolder key, AnnounceResponse reply) {
        key.onReply(reply.swarmSecret());
        if (reportsLeechers(reply) && System.nanoTime() - nextReplyWake >= 0) {
            Thread.ofVirtual().name("wake-" + infoHash.hex()).start(() -> wakeToDial(reply));
        }
    }

    /**
     * Whether a reply names peers for a seed to dial: peers, and more than no leechers. A reply
     * without counts cannot tell seeds from leechers, so its peers count (the wake-up is bounded
     * to one per interval, and a seed it dials hangs up on a seed).
     */
    static boolean reportsLeechers(AnnounceResponse reply) {
        return !reply.peers().isEmpty() && reply.incomplete().map(n -> n > 0).orElse(true);
    }

    /** Woken for the leechers in {@code reply} (on a thread of its own): a session from the resume file dials them. */
    private void wakeToDial(AnnounceResponse reply) {
        while (fallingAsleep && dormant.get() == null) {
            Thread.onSpinWait(); // the reply beat the record it wakes (a first announce is sent as the announcer is made)
        }
        Dormant d = dormant.getAndSet(null);
        if (d == null) {
            return; // a peer is waking it already (that session dials the next reply's peers), or it was paused or removed
        }
        int interval = Math.max(1, Math.max(reply.interval(), reply.minInterval().orElse(0)));
        nextReplyWake = System.nanoTime() + Duration.ofSeconds(interval).toNanos();
        wakeUp(d, d.seed().wokenBy(reply), "to dial the " + reply.peers().size() + " peers its tracker reported");
    }

    /** An incoming peer for the dormant torrent (on the connection's thread): a session from the resume file takes it. */
    private void wake(PeerStreams streams) {
        Dormant d = dormant.getAndSet(null);
        if (d == null) {
            handToSession(streams); // another peer is waking it right now
            return;
        }
        Optional<TorrentSession> s = wakeUp(d, d.seed(), "for " + streams.remote());
        if (s.isEmpty()) {
            closeQuietly(streams);
            return;
        }
        s.get().acceptWoken(streams); // runs the peer's connection on this thread: a pause from now on closes it
    }

    /**
     * Ends the dormancy {@code d} (taken by the caller) with a session from the resume file;
     * empty if that failed (its status says why), or if the torrent was paused or removed
     * meanwhile (that session is closed again).
     */
    private Optional<TorrentSession> wakeUp(Dormant d, DormantSeed seed, String why) {
        waking = true;
        try {
            host.router().unregister(d.routed());
            restoreMetainfo();
            TorrentSession s = startSession(seed);
            session.set(s);
            if (wantPaused || stopped) {
                // paused or removed while the session was built: that found nothing to close
                // (volatile both ways: either it sees this session or this sees its flag)
                closeSession();
                return Optional.empty();
            }
            Log.debug(name + " woke " + why);
            return Optional.of(s);
        } catch (IOException | RuntimeException e) {
            startFailure = Optional.of(reason(e));
            Log.debug("waking " + name + " failed: " + startFailure.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waking = false;
        }
        d.seed().announcer().ifPresent(Announcer::close);
        return Optional.empty();
    }

    /** A second peer while the first one's wake-up builds the session: it waits for that session (a few seconds at most). */
    private void handToSession(PeerStreams streams) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !stopped && !wantPaused) {
            TorrentSession s = session.get();
            if (s != null) {
                s.acceptWoken(streams);
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeQuietly(streams);
    }

    /** Pause, stop: the dormant torrent leaves the router and says 'stopped' with its totals. */
    private void endDormancy() {
        Dormant d = dormant.getAndSet(null);
        if (d != null) {
            host.router().unregister(d.routed());
            restoreMetainfo();
            d.seed().announcer().ifPresent(Announcer::close);
        }
    }

    /** What a failed start or wake says in the status: the message, or the exception's name when it has none. */
    private static String reason(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static void closeQuietly(PeerStreams streams) {
        try {
            streams.closer().close();
        } catch (IOException e) {
            // going away anyway
        }
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
        endDormancy();
        carried = Optional.empty(); // closed with them; kept, it would keep the closed session reachable (its request factory)
    }

    void resume() throws IOException, InterruptedException {
        if (stopped) {
            throw new IllegalStateException(name + " was removed");
        }
        wantPaused = false;
        if (session.get() == null && !isDormant()) {
            startNow();
        }
    }

    /** Removed, or the host closes: stops for good. */
    void stop() {
        stopped = true;
        closeSession();
        endDormancy();
        // a wake or a fall-asleep under way has neither in place: its announcer says 'stopped' now
        // (or, if another thread is saying it, this waits for that), not after serve halted
        Optional<Announcer> a;
        announcerStart.lock();
        try {
            a = carried;
        } finally {
            announcerStart.unlock();
        }
        a.ifPresent(Announcer::close);
    }

    private void closeSession() {
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
    private boolean takeSession(TorrentSession s) {
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
    private void keepLast(TorrentSession s, SessionStatus before) {
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
