package simplebt.swarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.storage.FileSelection;
import simplebt.storage.ResumeFile;
import simplebt.storage.Storage;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.AnnounceResponse;
import simplebt.trackerclient.SwarmSecretStore;
import simplebt.trackerclient.TrackerTiers;
import simplebt.wire.Handshake;

/**
 * The dormant life cycle of one {@link HostedTorrent}, on a host that
 * {@link SessionHost#sleepIdleSeeds sleeps idle seeds}: a complete seed without peers drops its
 * session (falls asleep) and keeps a {@link DormantSeed}, which announces on; the first incoming
 * peer, or a tracker reply that reports leechers, wakes it with a session from the resume file.
 * A torrent whose resume file vouches for all of it starts dormant. While dormant the torrent
 * keeps its bytes, not their parse.
 *
 * <p>Owner: its torrent, which owns the session ({@link HostedTorrent#running}), the pause and
 * stop flags and the totals; this class owns the dormant record and the moves between running
 * and dormant ({@link DormancyMoves}), the parsed torrent or its bytes ({@link KeptMetainfo}), and
 * the announcer the moves carry. A peer or a tracker reply that comes during a move goes to
 * whatever the move ends in: it waits for the move's end, and never finds neither session nor
 * dormant torrent in the router (each registration replaces the other in one step).
 *
 * <p>Threads: falling asleep runs on a virtual thread of its own (or the starting thread, for a
 * torrent that starts dormant); a wake on the incoming connection's thread, or on one of its own
 * for a reply's leechers; the rest on any thread. Locks: {@code announcerStart} here and the
 * one in {@link DormancyMoves}, both leaves held only to flip or read fields (no I/O); the
 * torrent's {@code totals} lock is taken only through its own methods, never under either.
 */
final class Dormancy {
    private final HostedTorrent torrent;
    private final SessionHost host;
    private final InfoHash infoHash;
    private final String name;
    private final SessionOptions options;
    /** The parsed torrent, or while dormant only its bytes. */
    private final KeptMetainfo meta;
    /** The dormant record, the moves under way (falling asleep, waking), and the waits for their end. */
    private final DormancyMoves<Dormant> moves = new DormancyMoves<>();
    /** Logged between a fall-asleep's two steps (tests hold there). */
    static final String BETWEEN_REGISTRATION_AND_RECORD = ": registered dormant, keeps its record";
    /**
     * Before this (System.nanoTime) no tracker reply wakes the dormant torrent to dial leechers:
     * one announce interval after the last such wake, so a seed whose leechers cannot be reached
     * wakes, fails its dials and sleeps again at most once per interval. Written by the thread
     * that wakes it for a reply, read by the announcer's callback (volatile).
     */
    private volatile long nextReplyWake = System.nanoTime();
    /**
     * The announcer of the dormant torrent, which goes on in a session woken from it, or of the
     * session falling asleep (set just before that session is taken): the torrent's stop closes
     * it, so that the trackers hear 'stopped' before stop returns even while a wake or a
     * fall-asleep has neither session nor dormant record in place (serve halts right after the
     * host's close). Stale once that lineage ended (it is closed then, and closing it again says
     * nothing); dropped by a pause, or by the end of the move a pause came during (until then a
     * stop must still find it). Written by whoever starts it dormant (under
     * {@code announcerStart}), puts it to sleep, pauses it or ends such a move.
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

    Dormancy(HostedTorrent torrent, SessionHost host, Metainfo meta, SessionOptions options) {
        this.torrent = torrent;
        this.host = host;
        this.meta = new KeptMetainfo(meta);
        this.infoHash = meta.infoHash();
        this.name = meta.info().name();
        this.options = options;
    }

    /** The torrent; a dormant one's kept bytes are parsed afresh for each call. */
    Metainfo metainfo() {
        return meta.get();
    }

    /** Dormant, or falling asleep: seeding without a session until a peer connects (it still announces on schedule). */
    boolean isDormant() {
        return moves.isDormant();
    }

    /** A wake builds its session (CHECKING). */
    boolean isWaking() {
        return moves.isWaking();
    }

    /**
     * A host that sleeps idle seeds starts a torrent its resume file vouches for whole dormant at
     * once, without first building a session (storage, swarm, picker, dialer, tick) to drop at its
     * first idle tick: 500 of them built at once were serve's peak RSS. Only the plain case:
     * every file chosen, no part file, no peers given; anything else starts a session, which
     * checks and settles as ever. False when it did not.
     */
    boolean startDormant() throws IOException {
        Metainfo m = metainfo();
        if (host.idleSeedSleep().isEmpty() || !options.peers().isEmpty() || host.isClosed() || !vouchedWhole(m)) {
            return false;
        }
        TrackerTiers trackers = TorrentSession.trackerTiers(m, options);
        boolean announcing = options.useTrackers() && !trackers.isEmpty();
        SwarmKeyHolder key = new SwarmKeyHolder(infoHash, m.info().isPrivate(), options.configDir().map(SwarmSecretStore::new));
        key.start(announcing);
        byte[] peerId = Handshake.newPeerId();
        moves.fallingAsleep();
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
            torrent.seedsWithoutSession(m.info());
            enterDormancy(new DormantSeed(announcer, key, peerId, 0, 0, Optional.empty(), Optional.empty()), m);
        } finally {
            fellAsleep();
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

    /** The session's tick found it complete and idle: it goes dormant, on a thread of its own (the tick must end). */
    void idle() {
        TorrentSession s = torrent.running();
        if (s != null) {
            Thread.ofVirtual().name("dormant-" + infoHash.hex()).start(() -> fallAsleep(s));
        }
    }

    private void fallAsleep(TorrentSession s) {
        if (torrent.halted()) {
            return;
        }
        Log.debug(name + " goes dormant: complete, and no peer for " + host.idleSeedSleep().map(Duration::toSeconds).orElse(0L) + " s");
        // a peer may have come since the idle tick: look again, in one step with the session's
        // intake, whose later peers and tracker replies go to the dormant torrent (it wakes again)
        if (!s.closeIntakeIfIdle(this::wake, this::onLeechersReported)) {
            Log.debug(name + " stays awake: a peer came");
            return;
        }
        moves.fallingAsleep();
        carried = s.announcer(); // before the session is taken: a stop from then on finds it here
        try {
            if (!torrent.takeSession(s)) {
                // paused or stopped meanwhile: that one closed it (a pause before the line above
                // dropped 'carried' already, and would leave the closed session reachable here)
                carried = Optional.empty();
                return;
            }
            SessionStatus before = s.status();
            DormantSeed seed = s.sleep();
            Log.debug(name + ": its session ended; its announcer goes on for the dormant torrent");
            torrent.keepLast(s, before);
            seed.announcer().ifPresent(a -> a.retarget(dormantRequests(seed.peerId(), seed.uploaded(), seed.downloaded()),
                    reply -> onDormantReply(seed.key(), reply), seed.key()::onTrackerFailure));
            enterDormancy(seed, metainfo());
        } finally {
            fellAsleep();
        }
    }

    /**
     * The fall-asleep (or a start straight into dormancy) ended: paused or removed meanwhile, its
     * record ends, taken in one step with the move's end, so that a resume waiting for that end
     * finds the record or nothing, and starts the torrent when nothing (before, a resume between
     * a look at the pause and this end saw the record, started nothing, and the record went).
     */
    private void fellAsleep() {
        Dormant d = moves.asleep(torrent::halted);
        if (d != null) {
            endDormancy(d);
        }
        dropCarriedIfHalted();
    }

    /** Keeps {@code seed} instead of a session: the torrent's bytes instead of its parse, and a place in the router. */
    private void enterDormancy(DormantSeed seed, Metainfo m) {
        RoutedTorrent routed = new RoutedTorrent(infoHash, options.encryption(), seed.key(), host.dormantSecurity(), this::wake);
        meta.keepBytes(m);
        // the session's registration, kept by its sleep(), is replaced in one step: no peer finds
        // neither. The router first, the record after: a peer that came before the swap took the
        // record with the session's registration still in the router, and its wake's launch failed
        // ("running already": FAILED). One that reaches the dormant registration before the record
        // waits in wake() for the fall-asleep's end (fallingAsleep is set), then takes it.
        boolean replaced = seed.routed().filter(r -> host.router().replace(r, routed)).isPresent();
        if (!replaced && !host.router().register(routed)) {
            Log.debug(name + ": cannot go dormant, another registration holds its info hash");
        }
        Log.debug(name + BETWEEN_REGISTRATION_AND_RECORD);
        moves.keep(new Dormant(seed.routedAs(routed), routed));
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
            Dormant d = moves.takeForWake();
            if (d != null) {
                int interval = Math.max(1, Math.max(reply.interval(), reply.minInterval().orElse(0)));
                nextReplyWake = System.nanoTime() + Duration.ofSeconds(interval).toNanos();
                wakeUp(d, d.seed().wokenBy(reply), "to dial the " + reply.peers().size() + " peers its tracker reported");
                return;
            }
            TorrentSession s = torrent.running();
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
     * when a wake or fall-asleep under way has ended. Closed when paused, removed, or the wake
     * failed. While it waits it holds a slot of {@code --max-connections}, given back just before
     * a session's accept takes its own: peers that come during a long wake (a re-check) wait only
     * up to that cap, the rest are closed as a running torrent's would be. The peer that takes
     * the record and wakes it holds none while the wake runs (one socket above the cap per
     * waking torrent); the woken session's accept counts it.
     */
    private void wake(PeerStreams streams) {
        ConnectionSlots slots = host.limits().connections();
        boolean slot = false;
        do {
            Dormant d = moves.takeForWake();
            if (d != null) {
                slot = giveBack(slots, slot);
                Optional<TorrentSession> s = wakeUp(d, d.seed(), "for " + streams.remote());
                if (s.isEmpty()) {
                    break;
                }
                if (s.get().offer(streams)) {
                    return; // ran the peer's connection on this thread: a pause meanwhile closed it
                }
                continue; // asleep again already: it wakes once more
            }
            TorrentSession s = torrent.running();
            if (s != null) {
                slot = giveBack(slots, slot);
                if (s.offer(streams)) {
                    return;
                }
            }
            if (!slot && !(slot = slots.tryAcquire())) {
                Log.debug("incoming connection from " + streams.remote() + " closed: at --max-connections while " + name + " wakes");
                break;
            }
        } while (awaitMove());
        giveBack(slots, slot);
        try {
            streams.closer().close();
        } catch (IOException e) {
            // going away anyway
        }
    }

    /** Releases the slot a waiting peer holds, if it holds one; false (it holds none now). */
    private static boolean giveBack(ConnectionSlots slots, boolean held) {
        if (held) {
            slots.release();
        }
        return false;
    }

    /** Waits for a move under way to end (false: none is, or the torrent was paused or removed). */
    private boolean awaitMove() {
        return moves.awaitMove(torrent::halted, () -> torrent.running() != null);
    }

    /** A pause or a stop: those waiting for a move's end look again. */
    void signalMoved() {
        moves.signal();
    }

    /**
     * Ends the dormancy {@code d} (taken by the caller) with a session from the resume file;
     * empty if that failed (its status says why), or if the torrent was paused or removed
     * meanwhile (that session is closed again).
     */
    private Optional<TorrentSession> wakeUp(Dormant d, DormantSeed seed, String why) {
        boolean built = false;
        try {
            // the dormant registration stays until the session's replaces it (launch): peers that
            // come meanwhile wait in wake() for this session instead of finding no torrent
            meta.keepParsed();
            TorrentSession s = torrent.startSession(seed);
            torrent.running(s);
            built = true;
            if (torrent.halted()) {
                // paused or removed while the session was built: that found nothing to close
                // (volatile both ways: either it sees this session or this sees its flag)
                torrent.closeSession();
                return Optional.empty();
            }
            Log.debug(name + " woke " + why);
            return Optional.of(s);
        } catch (IOException | RuntimeException e) {
            Log.debug("waking " + name + " failed: " + torrent.startFailed(e));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (!built) {
                host.router().unregister(d.routed()); // the wake failed: unless the session's replaced it
                d.seed().announcer().ifPresent(Announcer::close);
            }
            // only now, with its announcer closed: a pause during the wake left it for a stop
            moves.awake();
            dropCarriedIfHalted();
        }
    }

    /**
     * For a resume: a move under way (a wake's data check, a fall-asleep) ends first, and what
     * it ended in is the torrent's state; true when that is dormant. A wake's session, kept when
     * a pause was undone meanwhile, is the running one (a resume's start of its own next to it
     * failed with "running already"); a fall-asleep whose record a pause took leaves nothing,
     * so the resume starts it (before, it saw "falling asleep", took it for dormant and started
     * nothing).
     */
    boolean awaitSettled() throws InterruptedException {
        return moves.awaitSettled();
    }

    /** Pause, stop: the dormant torrent leaves the router and says 'stopped' with its totals. */
    void end() {
        Dormant d = moves.take();
        if (d != null) {
            endDormancy(d);
        }
    }

    private void endDormancy(Dormant d) {
        host.router().unregister(d.routed());
        meta.keepParsed();
        d.seed().announcer().ifPresent(Announcer::close);
    }

    /**
     * Paused: the dormancy ends, the carried announcer (closed with it) is dropped, and waiting
     * peers are closed. During a wake or a fall-asleep the announcer is kept: neither session nor
     * record is there to close, so a stop (the host's close, then a halt) must still find it to
     * say 'stopped'; the move's end drops it.
     */
    void paused() {
        end();
        if (!moves.isMoving()) {
            carried = Optional.empty(); // kept, it would keep the closed session reachable (its request factory)
        }
        signalMoved();
    }

    /**
     * A move ended (its session or record, and their announcer, closed if paused or removed
     * meanwhile): a pause that came during it left the announcer, which goes now. The move's
     * flag is cleared before this looks at the pause, and a pause sets its flag before it looks
     * at the move (volatile both ways), so one of them drops it.
     */
    private void dropCarriedIfHalted() {
        if (torrent.halted()) {
            carried = Optional.empty();
        }
    }

    /**
     * Removed, or the host closes: the dormancy ends, and a wake or a fall-asleep under way, which
     * has neither in place, has its announcer say 'stopped' now (or, if another thread is saying
     * it, this waits for that), not after serve halted.
     */
    void stopped() {
        end();
        signalMoved();
        Optional<Announcer> a;
        announcerStart.lock();
        try {
            a = carried;
        } finally {
            announcerStart.unlock();
        }
        a.ifPresent(Announcer::close);
    }
}
