package simplebt.swarm;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.mse.MseMemory;
import simplebt.mse.MseSocket;
import simplebt.secure.EncryptionMode;
import simplebt.secure.PeerSecurityMemory;
import simplebt.storage.PartFileReader;
import simplebt.storage.PieceChecker;
import simplebt.storage.ResumeFile;
import simplebt.storage.Storage;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.AnnounceResponse;
import simplebt.trackerclient.SwarmSecretStore;
import simplebt.trackerclient.TrackerTiers;
import simplebt.wire.Handshake;
import simplebt.wire.PexMessage;

/**
 * One torrent being downloaded or seeded: checks the data already on disk, listens for peers,
 * dials known peers, announces to trackers, and runs a one-second ticker for rates, request
 * timeouts, choking and the resume file. Usable as a library: {@link #start}, {@link #status},
 * {@link #awaitCompletion}, {@link #close}. Every thread it starts ends in {@link #close}.
 */
public final class TorrentSession implements AutoCloseable {
    private final Metainfo meta;
    private final SessionOptions options;
    private final SessionTiming timing;
    private final Storage storage;
    private final ResumeFile resume;
    private final Swarm swarm;
    private final Choker choker;
    private final Dialer dialer;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean completed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<Thread> peerThreads = ConcurrentHashMap.newKeySet();
    private final ResumeWriter resumeWriter;
    private volatile Optional<String> failure = Optional.empty();
    private volatile List<InetSocketAddress> securePeers = List.of();
    private final PeerSecurityMemory security = new PeerSecurityMemory();
    private final MseMemory mse = new MseMemory();
    private final SwarmKeyHolder swarmKey;
    private final PeerConnector connector;
    private volatile double downloadRate;
    private volatile double uploadRate;
    /** The port, the routing of incoming peers and the shared limits; ours to close when we started it alone. */
    private final SessionHost host;
    private final boolean ownsHost;
    private RoutedTorrent routed;
    private Announcer announcer;
    /** Our place on the host's clock ({@link HostTicker}); set by start, cancelled by close. */
    private HostTicker.Entry ticker;
    /** The dormant torrent this session wakes (its announcer and key are taken over); null for a fresh start. */
    private final DormantSeed woken;
    /** Told once when the torrent is complete and has had no peer for {@code idleTicks} ticks (null: never). */
    private final Runnable onIdle;
    private final long idleTicks;
    private long idleFor; // the ticker thread's: ticks in a row complete, without peers or dials
    /** Set by the ticker thread when it told onIdle; cleared by {@link #closeIntakeIfIdle} when the torrent was not idle after all. */
    private volatile boolean idleTold;
    /** Incoming peers and tracker replies: taken, or (falling asleep) handed to the dormant torrent. */
    private final SessionIntake intake = new SessionIntake();
    /** Complete from its resume file at start: no peer since, it may go dormant at the first idle tick. */
    private volatile boolean completeAtStart;
    /** Set by sleep(): close() hands the announcer on instead of saying 'stopped'. */
    private volatile boolean handingOver;

    private TorrentSession(Metainfo meta, SessionOptions options, SessionTiming timing, RandomGenerator random,
                           SessionHost host, boolean ownsHost, DormantSeed woken, Runnable onIdle, long idleTicks) throws IOException {
        this.woken = woken;
        this.onIdle = onIdle;
        this.idleTicks = idleTicks;
        this.host = host;
        this.ownsHost = ownsHost;
        this.meta = meta;
        this.options = options;
        this.timing = timing;
        this.resume = new ResumeFile(options.dataDir(), meta.infoHash());
        this.storage = new Storage(options.dataDir(), meta.info(), options.selection().chosen(meta.info()),
                PartFileReader.open(resume.partPath(), meta.infoHash(), meta.info()), options.directWrites());
        this.swarm = new Swarm(meta, storage, woken != null ? woken.peerId() : Handshake.newPeerId(), options.maxPeers(),
                timing.evictionGrace().toNanos(), random, new Swarm.Events() {
            @Override
            public void pieceVerified(int piece, boolean torrentComplete) {
                resumeWriter.dirty();
                if (torrentComplete) {
                    onComplete();
                }
            }

            @Override
            public void fatal(String message) {
                fail(message);
            }

            @Override
            public void peersExchanged(List<InetSocketAddress> peers) {
                addPeers(peers);
            }
        }, Swarm.BUFFER_BUDGET, host.limits());
        this.choker = new Choker(random);
        this.dialer = new Dialer(this::dial);
        this.swarmKey = woken != null ? woken.key() : new SwarmKeyHolder(meta.infoHash(), meta.info().isPrivate(),
                options.configDir().map(SwarmSecretStore::new));
        if (options.encryption() != EncryptionMode.OFF) {
            host.warmUpCipher();
        }
        this.connector = options.encryption() == EncryptionMode.OFF ? new PlainTransport()
                : new SecureConnector(options.encryption(), meta.infoHash(), swarmKey,
                        options.peers()::contains, a -> securePeers.contains(a), security, standardClients());
        this.resumeWriter = new ResumeWriter(resume, storage, swarm.picker());
    }

    /** How peers that are not ours are reached: MSE first in {@code preferred} mode, else plain. */
    private PeerConnector standardClients() {
        return options.encryption().speaksMse()
                ? new MseConnector(meta.infoHash(), mse, new PlainTransport(), MseSocket.DEFAULT_TIMEOUT)
                : new PlainTransport();
    }

    /**
     * A torrent on its own, a host of one: opens its own listening port ({@code options.port()}),
     * checks existing data, then starts dialing and announcing. For many torrents behind one port
     * see {@link SessionHost}.
     */
    public static TorrentSession start(Metainfo meta, SessionOptions options) throws IOException, InterruptedException {
        return start(meta, options, SessionTiming.DEFAULT);
    }

    /** As {@link #start(Metainfo, SessionOptions)} with other time limits (tests). */
    static TorrentSession start(Metainfo meta, SessionOptions options, SessionTiming timing)
            throws IOException, InterruptedException {
        return start(meta, options, timing, SessionHost.start(HostOptions.forOne(options), timing), true);
    }

    /** One torrent of {@code host}; closes the host too when it {@code ownsHost}. */
    static TorrentSession start(Metainfo meta, SessionOptions options, SessionTiming timing, SessionHost host, boolean ownsHost)
            throws IOException, InterruptedException {
        return start(meta, options, timing, host, ownsHost, null, null, 0);
    }

    /**
     * One torrent of {@code host} that may go dormant: {@code onIdle} is told (once, on the ticker
     * thread) when it is complete and has had no peer and no dial for {@code idleTicks} ticks, or
     * at the first such tick when it started complete. With {@code woken} it takes over a dormant
     * torrent's announcer, key and peer id (no second 'started').
     */
    static TorrentSession start(Metainfo meta, SessionOptions options, SessionTiming timing, SessionHost host,
                                boolean ownsHost, DormantSeed woken, Runnable onIdle, long idleTicks)
            throws IOException, InterruptedException {
        TorrentSession s;
        try {
            s = new TorrentSession(meta, options, timing, RandomGenerator.of("L64X128MixRandom"), host, ownsHost,
                    woken, onIdle, idleTicks);
        } catch (IOException | RuntimeException e) {
            if (ownsHost) {
                host.close();
            }
            throw e;
        }
        try {
            s.loadExisting();
            s.swarm.setListenPort(host.port());
            s.launch();
            return s;
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void loadExisting() throws IOException, InterruptedException {
        int count = meta.info().pieceCount();
        Optional<BitSet> saved = resume.load(storage);
        BitSet good;
        if (saved.isPresent()) {
            good = saved.get();
            Log.debug("resume file: " + good.cardinality() + " of " + count + " pieces verified earlier");
        } else {
            good = PieceChecker.check(storage, options.checkProgress());
        }
        boolean partsChanged = storage.settleParts(good); // --only: the part file matches this selection
        for (int i = good.nextSetBit(0); i >= 0; i = good.nextSetBit(i + 1)) {
            swarm.markHave(i);
        }
        if (swarm.picker().isComplete()) {
            completeAtStart = saved.isPresent();
            completed.set(true);
            storage.finish();
            done.countDown();
        }
        if ((saved.isEmpty() && good.cardinality() > 0) || partsChanged) {
            resumeWriter.dirty();
            resumeWriter.maybeSave(true);
        }
    }

    private void launch() {
        if (host.isClosed()) { // it closed during our data check; starting now would announce to a closed host's trackers
            throw new IllegalStateException("not started: the session host closed while " + meta.info().name() + " was checked");
        }
        RoutedTorrent r = new RoutedTorrent(meta.infoHash(), options.encryption(), swarmKey, security, this::accept);
        // a woken torrent's registration replaces the dormant one in one step: a peer that comes
        // during the wake (its data check, say) finds the dormant torrent, which waits for us
        boolean replaced = woken != null && woken.routed().filter(d -> host.router().replace(d, r)).isPresent();
        if (!replaced && !host.router().register(r)) {
            throw new IllegalStateException("torrent " + meta.infoHash().hex() + " is running on port " + host.port() + " already");
        }
        routed = r;
        TrackerTiers trackers = trackerTiers();
        boolean announcing = options.useTrackers() && !trackers.isEmpty();
        if (woken == null) {
            swarmKey.start(announcing); // without trackers the info hash alone; else a saved secret waits in reserve
        }
        options.peers().forEach(a -> dialer.add(a, true));
        if (woken != null && woken.announcer().isPresent()) {
            announcer = woken.announcer().get(); // the dormant torrent's schedule goes on: no second 'started'
            announcer.retarget(this::announceRequest, this::onAnnounce, swarmKey::onTrackerFailure);
        } else if (announcing) {
            announcer = new Announcer(trackers, host.announceClock(), this::announceRequest, this::onAnnounce, swarmKey::onTrackerFailure);
        }
        if (woken != null) {
            // woken to dial the leechers a tracker reported: the dials start before the first
            // tick, which would otherwise find it idle and put it back to sleep undialed
            woken.wakingReply().ifPresent(this::onAnnounce);
        }
        ticker = host.ticker().register(meta.infoHash().hex().substring(0, 8), this::tick);
    }

    /** BEP 11: each peer hears (at most once a minute) which peers we are connected to and how to reach them. */
    private static void exchangePeers(List<PeerConnection> peers, long now) {
        Map<InetSocketAddress, Integer> current = new LinkedHashMap<>();
        for (PeerConnection c : peers) {
            // 0x10: we reached it ourselves; 0x02: it has everything. Our own encryption is not MSE, so no 0x01.
            c.reachableAt().ifPresent(a -> current.put(a, (c.outgoing() ? PexMessage.FLAG_REACHABLE : 0)
                    | (c.peerIsSeed() ? PexMessage.FLAG_SEED : 0)));
        }
        for (PeerConnection c : peers) {
            c.exchangePeers(current, now);
        }
    }

    /** BEP 12: the torrent's announce-list tiers (or its announce); each {@code --tracker} is a tier of its own. */
    private TrackerTiers trackerTiers() {
        return trackerTiers(meta, options);
    }

    /** The trackers of {@code meta} under {@code options}; also for a torrent that starts dormant, without a session. */
    static TrackerTiers trackerTiers(Metainfo meta, SessionOptions options) {
        List<List<String>> given = !options.trackers().isEmpty() ? options.trackers().stream().map(List::of).toList()
                : !meta.announceList().isEmpty() ? meta.announceList() : List.of(meta.trackers());
        TrackerTiers tiers = TrackerTiers.of(given, RandomGenerator.of("L64X128MixRandom")); // its own: swarm threads use theirs
        if (options.useTrackers()) {
            tiers.skippedNote().ifPresent(Log::warn);
        }
        return tiers;
    }

    private AnnounceRequest announceRequest(AnnounceRequest.Event event, int numwant) {
        long left = swarm.picker().bytesLeft(); // of the chosen files' pieces only
        return new AnnounceRequest(meta.infoHash(), swarm.peerId(), host.port(), announcedUploaded(),
                announcedDownloaded(), left, event, numwant);
    }

    /** Uploaded since the trackers heard 'started': a woken torrent's earlier sessions count too. */
    private long announcedUploaded() {
        return swarm.uploaded() + (woken == null ? 0 : woken.uploaded());
    }

    private long announcedDownloaded() {
        return swarm.downloaded() + (woken == null ? 0 : woken.downloaded());
    }

    private void onAnnounce(AnnounceResponse reply) {
        securePeers = reply.securePeers();
        swarmKey.onReply(reply.swarmSecret());
        Log.debug("tracker: " + reply.peers().size() + " peers, interval " + reply.interval() + "s");
        if (!offerReply(reply)) {
            intake.handOn(reply); // fell asleep meanwhile: the dormant torrent wakes for its leechers
        }
    }

    /**
     * Starts the dials to the peers of {@code reply}; false, dialing nothing, once the session
     * falls asleep ({@link #closeIntakeIfIdle}): the caller keeps the reply.
     */
    boolean offerReply(AnnounceResponse reply) {
        return intake.dialUnlessClosed(() -> {
            for (InetSocketAddress a : reply.peers()) {
                if (!swarm.peers().isSelfOrBanned(a) && !swarm.peers().connectedTo(a)) { // the tracker lists us, and liars, too
                    dialer.add(a, false); // starts the dial now: the fall-asleep's look sees it
                }
            }
        });
    }

    /**
     * An incoming connection handed over by the dormant torrent (or by the wake of one): runs it
     * on this thread. False, without touching it, once the session falls asleep: the caller keeps it.
     */
    boolean offer(PeerStreams streams) {
        return intake.runCounted(() -> acceptCounted(streams));
    }

    /**
     * The fall-asleep's last look, after its idle tick (a peer may have come since): with no peer
     * accepted or connected and no dial running, the session takes no more peers or tracker
     * replies (they go to {@code peers} and {@code replies}, the dormant torrent) and true; else
     * false, and the ticker may tell onIdle again.
     */
    boolean closeIntakeIfIdle(Consumer<PeerStreams> peers, Consumer<AnnounceResponse> replies) {
        boolean closing = intake.closeIf(() -> swarm.connectionCount() == 0 && !dialer.anyDialing() && !closed.get(), peers, replies);
        if (!closing) {
            idleTold = false;
        }
        return closing;
    }

    private void accept(PeerStreams streams) {
        if (!offer(streams)) {
            intake.handOn(streams); // fell asleep meanwhile: the dormant torrent wakes for it
        }
    }

    private void acceptCounted(PeerStreams streams) {
        if (closed.get() || failure.isPresent()) {
            closeQuietly(streams);
            return;
        }
        if (!host.limits().connections().runInSlot(
                () -> runPeer(new PeerConnection(swarm, streams, swarm.nextConnectionId(), false, Optional.empty())))) {
            Log.debug("incoming connection from " + streams.remote() + " closed: at --max-connections");
            closeQuietly(streams);
        }
    }

    private void dial(InetSocketAddress address) {
        Thread t = PeerThreads.unstarted("dial-" + address, () -> {
            boolean connected = false;
            ConnectionSlots slots = host.limits().connections();
            boolean slot = slots.tryAcquire(); // the tick asked for no more dials than were free, but others race
            try {
                if (!slot) {
                    Log.debug("not dialing " + address + ": " + slots.max() + " connections in all torrents (--max-connections)");
                    return;
                }
                PeerStreams streams = connector.connect(address);
                connected = true;
                if (closed.get() || failure.isPresent()) {
                    closeQuietly(streams);
                    return;
                }
                PeerConnection c = new PeerConnection(swarm, streams, swarm.nextConnectionId(), true, Optional.of(address));
                Thread deadline = Thread.ofVirtual().name("handshake-deadline-" + address).start(() -> closeUnlessHandshaken(c));
                try {
                    c.run();
                } finally {
                    deadline.interrupt();
                }
                // Only a BitTorrent handshake makes a dial a success: a peer that accepts TCP and
                // closes at once was redialed every second. A staller is retried with back-off too.
                connected = c.handshaken() && !c.droppedForStalling();
            } catch (IOException e) {
                Log.debug("cannot connect to " + address + ": " + e.getMessage());
            } finally {
                if (slot) {
                    slots.release();
                }
                dialer.finished(address, connected, completed.get());
                peerThreads.remove(Thread.currentThread());
            }
        });
        peerThreads.add(t);
        t.start();
    }

    /** One deadline for a dialed peer's whole BEP 3 handshake, whatever it sends meanwhile. */
    private void closeUnlessHandshaken(PeerConnection c) {
        try {
            Thread.sleep(timing.handshakeTimeout());
        } catch (InterruptedException e) {
            return; // the connection ended first
        }
        if (!c.handshaken()) {
            Log.debug(c.remote() + ": no handshake within " + timing.handshakeTimeout().toSeconds() + " s, closing");
            c.close();
        }
    }

    private void runPeer(PeerConnection c) {
        Thread me = Thread.currentThread();
        peerThreads.add(me);
        try {
            c.run();
        } finally {
            peerThreads.remove(me);
        }
    }

    private void tick(long tick) {
        long now = System.nanoTime();
        double down = 0;
        double up = 0;
        long requestTimeout = timing.requestTimeout().toNanos();
        List<PeerConnection> peers = swarm.connections();
        int downloadingFrom = 0;
        for (PeerConnection c : peers) {
            downloadingFrom += c.downloadingFrom() ? 1 : 0;
        }
        swarm.updateStartedShare(downloadingFrom);
        for (PeerConnection c : peers) {
            c.tick(now, requestTimeout);
            down += c.rateToUs();
            up += c.rateFromUs();
        }
        downloadRate = down;
        uploadRate = up;
        if (Log.isDebug()) {
            for (PeerConnection c : swarm.connections()) {
                Log.debug(c.describe());
            }
            Log.debug("pieces started " + swarm.picker().startedCount() + ", done " + swarm.picker().haveCount());
        }
        if (swarm.exchangesPeers()) {
            exchangePeers(peers, now);
        }
        if (tick % Choker.ROUND_SECONDS == 0) {
            swarm.applyChoker(choker, tick % (Choker.ROUND_SECONDS * Choker.OPTIMISTIC_ROUNDS) == 0);
        }
        dialIntoRoom();
        resumeWriter.maybeSave(false);
        watchIdle(peers);
    }

    /** Tells {@code onIdle} once the torrent is complete with no peer and no dial for long enough. */
    private void watchIdle(List<PeerConnection> peers) {
        if (onIdle == null || idleTold) {
            return;
        }
        boolean idle = completed.get() && failure.isEmpty() && peers.isEmpty() && !dialer.anyDialing();
        if (!idle) {
            idleFor = 0;
            completeAtStart = false; // it had company: the full wait from now on
            return;
        }
        idleFor++;
        if (completeAtStart || idleFor >= idleTicks) {
            idleTold = true;
            onIdle.run();
        }
    }

    /** Its announcer (empty without trackers): the one {@link #sleep} hands to the dormant torrent. */
    Optional<Announcer> announcer() {
        return Optional.ofNullable(announcer);
    }

    /**
     * Ends this session but not the torrent's announcing: as {@link #close}, except that the
     * trackers hear no 'stopped', the router keeps its registration (whose peers go where
     * {@link #closeIntakeIfIdle} said) until the dormant torrent's replaces it, and the announcer,
     * key, peer id, announced totals and registration are returned for the dormant torrent to keep.
     */
    DormantSeed sleep() {
        handingOver = true;
        close();
        return new DormantSeed(Optional.ofNullable(announcer), swarmKey, swarm.peerId(), announcedUploaded(),
                announcedDownloaded(), Optional.empty(), Optional.ofNullable(routed));
    }

    private void onComplete() {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        try {
            storage.finish();
            resumeWriter.maybeSave(true);
        } catch (IOException e) {
            fail("cannot finish files in " + storage.root() + ": " + e.getMessage());
            return;
        }
        if (announcer != null && swarm.picker().have().isComplete()) {
            announcer.completed(); // --only: the tracker's 'completed' counts whole copies, not a few files of one
        }
        for (PeerConnection c : swarm.connections()) {
            c.setInterested(false);
            if (c.peerIsSeed()) {
                c.close();
            }
        }
        done.countDown();
    }

    private void fail(String message) {
        if (failure.isEmpty()) {
            failure = Optional.of(message);
            Log.debug("session failed: " + message);
            // e.g. disk full: stop fetching pieces that cannot be stored (no dials, no new peers either)
            swarm.connections().forEach(PeerConnection::close);
        }
        done.countDown();
    }

    /**
     * Peers found by some other means (PEX, the DHT, a magnet link's {@code x.pe}) for the
     * dialer to try; ourselves, banned addresses and peers already connected are skipped. Safe
     * from any thread; it only queues, the session's ticker dials.
     */
    public void addPeers(Collection<InetSocketAddress> peers) {
        for (InetSocketAddress a : peers) {
            if (!swarm.peers().isSelfOrBanned(a) && !swarm.peers().connectedTo(a)) {
                dialer.learn(a, false); // not add: a DHT lookup's 1,000 peers were 1,000 dials at once, past --max-peers
            }
        }
        // A session with no peer yet and no dial out (a fresh download on the DHT alone) dials
        // into its free room now, not at the next tick up to a second later; the dials it starts
        // make the next call wait for the tick, so room is never counted twice.
        if (swarm.connections().isEmpty() && !dialer.anyDialing()) {
            dialIntoRoom();
        }
    }

    private void dialIntoRoom() {
        int connected = swarm.connectionCount(); // not connections(): that copies the list, every second per torrent
        if (failure.isEmpty() && (!completed.get() || connected == 0)) {
            int room = Math.min(options.maxPeers() - connected, host.limits().connections().free());
            dialer.dialDue(a -> !swarm.peers().connectedTo(a) && !swarm.peers().isSelfOrBanned(a), room);
        }
    }

    /** Waits until every piece is verified; throws if the session failed (e.g. disk full). */
    public boolean awaitCompletion(Duration timeout) throws InterruptedException, IOException {
        boolean finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (failure.isPresent()) {
            throw new IOException(failure.get());
        }
        return finished && completed.get();
    }

    public void awaitCompletion() throws InterruptedException, IOException {
        done.await();
        if (failure.isPresent()) {
            throw new IOException(failure.get());
        }
    }

    public SessionStatus status() {
        List<PeerConnection> peers = swarm.connections();
        PiecePicker picker = swarm.picker(); // counts of the chosen files' pieces (all pieces without --only)
        return new SessionStatus(picker.wantedCount() - picker.missingCount(), picker.wantedCount(),
                picker.wantedBytes() - picker.bytesLeft(), picker.wantedBytes(), swarm.downloaded(), swarm.uploaded(),
                downloadRate, uploadRate,
                peers.size(), (int) peers.stream().filter(PeerConnection::peerIsSeed).count(), completed.get(),
                announcer == null ? Optional.empty() : announcer.lastError(), failure,
                options.encryption() == EncryptionMode.OFF ? Optional.empty() : swarmKey.waitingFor());
    }

    /** The peers past the BEP 3 handshake, for a menu's peer list. */
    public List<PeerSummary> peers() {
        return swarm.connections().stream().filter(PeerConnection::handshaken).map(PeerConnection::summary).toList();
    }

    /** The pieces we hold (verified), a copy: for per-file progress. */
    public Bitfield have() {
        return swarm.picker().have();
    }

    /** The listening port (shared with the other torrents of its host). */
    public int port() {
        return host.port();
    }

    /** This torrent's data on disk; tests read from it how pieces were written. */
    Storage storage() {
        return storage;
    }

    public InfoHash infoHash() {
        return meta.infoHash();
    }

    public Metainfo metainfo() {
        return meta;
    }

    /** Our tracker's per-swarm secret ({@code sbt secret}) in use: from an announce, or saved from an earlier one. */
    public Optional<byte[]> swarmSecret() {
        return swarmKey.secret();
    }

    /** Peers our tracker says are our nodes ({@code sbt peers}) from the last announce. */
    public List<InetSocketAddress> securePeers() {
        return securePeers;
    }

    /** Stops everything: tracker gets {@code stopped}, peers are closed, the resume file saved. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!handingOver) {
            // dials waiting for the first announce give up; a session going dormant has no dial
            // running (it waits for that), and the key goes on to the session that wakes it
            swarmKey.abandon();
        }
        if (ticker != null) {
            ticker.cancel(); // waits for a tick in flight
        }
        if (routed != null && !handingOver) {
            host.router().unregister(routed); // no new incoming peers for this torrent (falling asleep: the dormant one's replaces it)
        }
        swarm.connections().forEach(PeerConnection::close);
        for (Thread t : List.copyOf(peerThreads)) {
            join(t);
        }
        awaitPieceWrites();
        swarm.releaseUploadSlots();
        if (announcer != null && !handingOver) {
            announcer.close();
        }
        try {
            resumeWriter.maybeSave(true);
            storage.close();
        } catch (IOException e) {
            Log.warn("closing " + storage.root() + ": " + e.getMessage());
        }
        done.countDown();
        if (ownsHost) {
            host.close();
        }
    }

    /** Pieces verified by the readers just joined may still be on their way to disk: the files stay open for them. */
    private void awaitPieceWrites() {
        if (!swarm.verifier().awaitWrites(Duration.ofSeconds(10))) {
            Log.warn("a verified piece was still being written after 10 s; closing its files anyway");
        }
    }

    private static void join(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(PeerStreams streams) {
        try {
            streams.closer().close();
        } catch (IOException e) {
            // going away anyway
        }
    }
}
