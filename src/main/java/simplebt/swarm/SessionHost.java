package simplebt.swarm;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.secure.CipherWarmUp;
import simplebt.secure.PeerSecurityMemory;

/**
 * One node process's BitTorrent engine (libtorrent's "session"): any number of torrents behind
 * one listening port, with the limits they share. Incoming connections are routed to their
 * torrent by the {@link IncomingRouter}. Each torrent is a {@link HostedTorrent} handle that
 * stays valid while it is paused; a running one is a {@link TorrentSession}.
 *
 * <p>Threads: every method may be called from any thread. {@code torrents} is guarded by
 * {@code lock}, which is never held while a torrent starts, checks data or closes (those do
 * I/O). Starting one torrent (its data check) blocks only the caller of {@link #add}.
 */
public final class SessionHost implements AutoCloseable {
    private static final int PORT_TRIES = 10;

    private final HostOptions options;
    private final SessionTiming timing;
    private final IncomingRouter router;
    private final HostLimits limits;
    private final PeerListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    /** By info hash, in the order added. */
    private final Map<InfoHash, HostedTorrent> torrents = new LinkedHashMap<>();
    private volatile boolean closed;
    private final AtomicBoolean cipherWarmedUp = new AtomicBoolean();
    /** One clock for all torrents' one-second ticks (not a thread per torrent); closed with the host. */
    private final HostTicker ticker = new HostTicker();
    /** Starts every torrent's next announce when it is due (not a parked thread per torrent); shut down with the host. */
    private final AnnounceClock announceClock = new AnnounceClock();
    /** After how long without peers a complete torrent goes dormant; null: never (set by serve before torrents start). */
    private volatile Duration idleSeedSleep;
    /** The secure channel's memory of every dormant torrent (its keys name the torrent); one, not one per torrent. */
    private final PeerSecurityMemory dormantSecurity = new PeerSecurityMemory();

    private SessionHost(HostOptions options, SessionTiming timing, OtherHandshake other) throws IOException {
        this.options = options;
        this.timing = timing;
        this.router = new IncomingRouter(other);
        this.limits = new HostLimits(options);
        this.listener = listen(options, router);
        IdleHeapReturn.enable(); // flat memory on long downloads without JVM flags (see the class)
    }

    /** Opens the listening port; no torrent yet. */
    public static SessionHost start(HostOptions options) throws IOException {
        return start(options, SessionTiming.DEFAULT);
    }

    /** As {@link #start(HostOptions)} with other time limits (tests). */
    static SessionHost start(HostOptions options, SessionTiming timing) throws IOException {
        // Neither plain nor ours: an MSE/PE attempt, for the torrents whose --encryption speaks it.
        return start(options, timing, MseAcceptor::forServed);
    }

    /** @param other what takes incoming bytes that are neither plain BEP 3 nor our secure hello */
    static SessionHost start(HostOptions options, SessionTiming timing, OtherHandshake other) throws IOException {
        return new SessionHost(options, timing, other);
    }

    private static PeerListener listen(HostOptions options, IncomingRouter router) throws IOException {
        int port = options.port();
        for (int attempt = 0; ; attempt++) {
            try {
                return new PeerListener(options.bind(), port, router::routePlain, router.foreign());
            } catch (BindException e) {
                if (port == 0 || attempt + 1 >= PORT_TRIES || port >= 65535) {
                    throw new IOException("cannot listen on port " + port + ": " + e.getMessage(), e);
                }
                port++;
            }
        }
    }

    /**
     * Adds a torrent and starts it: checks the data on disk (or trusts its resume file), then
     * connects, accepts and announces. Blocks for the check. A torrent whose start fails stays
     * listed, in state {@link HostedTorrent.State#FAILED}, until removed; the exception says why.
     *
     * @throws IllegalArgumentException if the host has this torrent already
     */
    public HostedTorrent add(Metainfo meta, SessionOptions options) throws IOException, InterruptedException {
        HostedTorrent t = enter(meta, options, false);
        t.startClaimed();
        return t;
    }

    /** Adds a torrent and returns at once; its check and start run on a thread of their own (state CHECKING). */
    public HostedTorrent addInBackground(Metainfo meta, SessionOptions options) {
        HostedTorrent t = enter(meta, options, false);
        Thread.ofVirtual().name("start-" + meta.infoHash().hex()).start(t::startClaimedQuietly);
        return t;
    }

    /** Adds a torrent paused: no check, no connections, no announce until {@link #resume}. */
    public HostedTorrent addPaused(Metainfo meta, SessionOptions options) {
        return enter(meta, options, true);
    }

    private HostedTorrent enter(Metainfo meta, SessionOptions options, boolean paused) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the session host is closed");
            }
            if (torrents.containsKey(meta.infoHash())) {
                throw new IllegalArgumentException("torrent " + meta.infoHash().hex() + " (" + meta.info().name()
                        + ") is in this node already");
            }
            HostedTorrent t = new HostedTorrent(this, meta, options, paused);
            torrents.put(meta.infoHash(), t);
            return t;
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on a complete torrent that has had no peer for {@code after} (one started complete
     * from its resume file: at its first such tick; one whose resume file vouches for all of it,
     * every file chosen and no part file: at its start, without a session ever built) goes dormant: its session, with its storage,
     * swarm, picker, dialer and per-second tick, is dropped; it keeps announcing on schedule, and
     * the first incoming peer wakes it from its resume file without a re-check. For a host of
     * many mostly idle seeds ({@code node serve}); off by default, since a library user of
     * {@link HostedTorrent#session()} expects the session it got to stay.
     */
    public void sleepIdleSeeds(Duration after) {
        idleSeedSleep = after;
    }

    Optional<Duration> idleSeedSleep() {
        return Optional.ofNullable(idleSeedSleep);
    }

    PeerSecurityMemory dormantSecurity() {
        return dormantSecurity;
    }

    /** Stops a torrent's connections and announces ({@code stopped}); its data and resume file stay. No-op if unknown. */
    public void pause(InfoHash infoHash) {
        torrent(infoHash).ifPresent(HostedTorrent::pause);
    }

    /** Starts a paused torrent again from its resume file (no full re-check when that is valid). */
    public void resume(InfoHash infoHash) throws IOException, InterruptedException {
        Optional<HostedTorrent> t = torrent(infoHash);
        if (t.isPresent()) {
            t.get().resume();
        }
    }

    /** Stops the torrent (as {@link #pause}) and forgets it; its data stays on disk. False if unknown. */
    public boolean remove(InfoHash infoHash) {
        HostedTorrent t;
        lock.lock();
        try {
            t = torrents.remove(infoHash);
        } finally {
            lock.unlock();
        }
        if (t == null) {
            return false;
        }
        t.stop();
        return true;
    }

    public Optional<HostedTorrent> torrent(InfoHash infoHash) {
        lock.lock();
        try {
            return Optional.ofNullable(torrents.get(infoHash));
        } finally {
            lock.unlock();
        }
    }

    /** Every torrent in the order added, running or paused. */
    public List<HostedTorrent> torrents() {
        lock.lock();
        try {
            return List.copyOf(torrents.values());
        } finally {
            lock.unlock();
        }
    }

    /** The one listening port of every torrent here. */
    public int port() {
        return listener.port();
    }

    public HostOptions options() {
        return options;
    }

    /** The torrents its port serves now (for the MSE responder, and tests). */
    public ServedTorrents served() {
        return router;
    }

    IncomingRouter router() {
        return router;
    }

    HostLimits limits() {
        return limits;
    }

    /**
     * A torrent that may speak the secure channel has it compiled before its first records
     * ({@link CipherWarmUp}); once per host: the JIT's work serves every torrent, and 100
     * torrents warming up at once cost 100 threads and some 300 MiB of heap garbage (measured).
     */
    void warmUpCipher() {
        if (cipherWarmedUp.compareAndSet(false, true)) {
            CipherWarmUp.start();
        }
    }

    SessionTiming timing() {
        return timing;
    }

    /** Closed: a torrent whose data check outlived the host must not start afterwards. */
    boolean isClosed() {
        return closed;
    }

    HostTicker ticker() {
        return ticker;
    }

    AnnounceClock announceClock() {
        return announceClock;
    }

    /**
     * Closes every torrent at once, each on its own thread, so the farewell announces
     * ({@code stopped}) run in parallel within one farewell budget, not one after another; then
     * the port.
     */
    @Override
    public void close() {
        List<HostedTorrent> all;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(torrents.values());
        } finally {
            lock.unlock();
        }
        List<Thread> closing = new ArrayList<>();
        for (HostedTorrent t : all) {
            closing.add(Thread.ofVirtual().name("close-" + t.infoHash().hex()).start(t::stop));
        }
        for (Thread c : closing) {
            try {
                c.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ticker.close();
        announceClock.shutdownNow();
        listener.close();
        Log.debug("session host on port " + port() + " closed (" + all.size() + " torrents)");
    }
}
