package simplebt.swarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
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
     * The parsed torrent, or while dormant only its bytes: the parse keeps the piece hashes up to
     * four times over (file bytes, bencoded tree, info bytes, hashes) and the tree as objects,
     * more than the rest of a dormant torrent together. One field, so a reader sees one or the
     * other (two fields made a reader that raced a wake spin until one was set). Written by
     * whoever puts it to sleep or wakes it (volatile).
     */
    private volatile Kept kept;
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

    /**
     * Orders the moves between running, falling asleep, dormant and waking for those that wait
     * for one to end: a peer or a tracker reply that comes during a move (it goes to whatever the
     * move ends in), a resume during a wake. {@code dormant} is taken for a wake and {@code waking}
     * set in one step under it, and every move signals {@code moved} when it ends. A leaf lock,
     * held only to read or flip those fields (no I/O).
     */
    private final ReentrantLock moves = new ReentrantLock();
    private final Condition moved = moves.newCondition();

    /** A dormant torrent's record and its registration with the router. */
    private record Dormant(DormantSeed seed, RoutedTorrent routed) {
    }

    /** What it keeps of the torrent: parsed, or (dormant) its bytes. */
    private sealed interface Kept permits Parsed, Raw {
    }

    private record Parsed(Metainfo meta) implements Kept {
    }

    private record Raw(byte[] bytes) implements Kept {
    }

    HostedTorrent(SessionHost host, Metainfo meta, SessionOptions options, boolean paused) {
        this.host = host;
        this.kept = new Parsed(meta);
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
        return switch (kept) {
            case Parsed p -> p.meta();
            case Raw r -> parse(r.bytes());
        };
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
        kept = new Raw(m.raw());
    }

    /** Waking (or paused, stopped): the parsed torrent again. */
    private Metainfo restoreMetainfo() {
        Metainfo m = metainfo();
        kept = new Parsed(m);
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
        Metainfo m = metainfo();
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
            enterDormancy(new DormantSeed(announcer, key, peerId, 0, 0, Optional.empty(), Optional.empty()), m);
        } finally {
            fallingAsleep = false;
            signalMoved();
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
        // a peer may have come since the idle tick: look again, in one step with the session's
        // intake, whose later peers and tracker replies go to the dormant torrent (it wakes again)
        if (!s.closeIntakeIfIdle(this::wake, this::onLeechersReported)) {
            Log.debug(name + " stays awake: a peer came");
            return;
        }
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
            signalMoved();
        }
        if (wantPaused || stopped) {
            endDormancy(); // paused or removed while it fell asleep
        }
    }

    /** Keeps {@code seed} instead of a session: the torrent's bytes instead of its parse, and a place in the router. */
    private void enterDormancy(DormantSeed seed, Metainfo m) {
        RoutedTorrent routed = new RoutedTorrent(infoHash, options.encryption(), seed.key(), host.dormantSecurity(), this::wake);
        dropMetainfo(m);
        dormant.set(new Dormant(seed.routedAs(routed), routed));
        // the session's registration, kept by its sleep(), is replaced in one step: no peer finds neither
        boolean replaced = seed.routed().filter(r -> host.router().replace(r, routed)).isPresent();
        if (!replaced && !host.router().register(routed)) {
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
        onLeechersReported(reply);
    }

    /** A reply for the dormant torrent, or for its session after that fell asleep (its secret taken already). */
    private void onLeechersReported(AnnounceResponse reply) {
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
        do {
            Dormant d = takeForWake();
            if (d != null) {
                int interval = Math.max(1, Math.max(reply.interval(), reply.minInterval().orElse(0)));
                nextReplyWake = System.nanoTime() + Duration.ofSeconds(interval).toNanos();
                wakeUp(d, d.seed().wokenBy(reply), "to dial the " + reply.peers().size() + " peers its tracker reported");
                return;
            }
            TorrentSession s = session.get();
            if (s != null && s.offerReply(reply)) {
                return; // a peer woke it meanwhile: that session dials them
            }
            // the reply beat the record it wakes (a first announce is sent as the announcer is
            // made), or came while the session fell asleep or a peer's wake ran: wait for the move's end
        } while (awaitMove());
    }

    /**
     * An incoming peer for the dormant torrent (on the connection's thread), or one that came
     * while it woke or fell asleep: a session from the resume file takes it, the running one
     * when a wake or fall-asleep under way has ended. Closed when paused, removed, or the wake failed.
     */
    private void wake(PeerStreams streams) {
        do {
            Dormant d = takeForWake();
            if (d != null) {
                Optional<TorrentSession> s = wakeUp(d, d.seed(), "for " + streams.remote());
                if (s.isEmpty()) {
                    break;
                }
                if (s.get().offer(streams)) {
                    return; // ran the peer's connection on this thread: a pause meanwhile closed it
                }
                continue; // asleep again already: it wakes once more
            }
            TorrentSession s = session.get();
            if (s != null && s.offer(streams)) {
                return;
            }
        } while (awaitMove());
        closeQuietly(streams);
    }

    /** Takes the dormant record for a wake, in one step with saying that it wakes (null: it is not dormant now). */
    private Dormant takeForWake() {
        moves.lock();
        try {
            Dormant d = dormant.getAndSet(null);
            if (d != null) {
                waking = true;
            }
            return d;
        } finally {
            moves.unlock();
        }
    }

    /**
     * Waits for a move under way (a wake, a fall-asleep, a session that no longer takes peers)
     * to end; false at once when none is under way or the torrent is paused or removed, when
     * whatever came has nowhere to go.
     */
    private boolean awaitMove() {
        moves.lock();
        try {
            if (wantPaused || stopped || !(waking || fallingAsleep || session.get() != null || dormant.get() != null)) {
                return false;
            }
            moved.await(200, TimeUnit.MILLISECONDS); // bounded: a session that closed its intake moves on without a signal of its own
            return !(wantPaused || stopped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            moves.unlock();
        }
    }

    private void signalMoved() {
        moves.lock();
        try {
            moved.signalAll();
        } finally {
            moves.unlock();
        }
    }

    /**
     * Ends the dormancy {@code d} (taken by the caller) with a session from the resume file;
     * empty if that failed (its status says why), or if the torrent was paused or removed
     * meanwhile (that session is closed again).
     */
    private Optional<TorrentSession> wakeUp(Dormant d, DormantSeed seed, String why) {
        try {
            // the dormant registration stays until the session's replaces it (launch): peers that
            // come meanwhile wait in wake() for this session instead of finding no torrent
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
            signalMoved();
        }
        host.router().unregister(d.routed()); // the wake failed (or was paused): unless the session's replaced it
        d.seed().announcer().ifPresent(Announcer::close);
        return Optional.empty();
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
        signalMoved(); // peers waiting for a move's end are closed
    }

    void resume() throws IOException, InterruptedException {
        if (stopped) {
            throw new IllegalStateException(name + " was removed");
        }
        wantPaused = false;
        awaitWake();
        if (session.get() == null && !isDormant()) {
            startNow();
        }
    }

    /**
     * A wake under way (its data check, say) ends first: its session, kept now that the pause is
     * undone, is the running one. A start of our own next to it failed with "running already".
     */
    private void awaitWake() throws InterruptedException {
        moves.lock();
        try {
            while (waking) {
                moved.await();
            }
        } finally {
            moves.unlock();
        }
    }

    /** Removed, or the host closes: stops for good. */
    void stop() {
        stopped = true;
        closeSession();
        endDormancy();
        signalMoved();
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
