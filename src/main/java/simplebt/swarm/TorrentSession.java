package simplebt.swarm;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
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
import simplebt.secure.EncryptionMode;
import simplebt.secure.PeerSecurityMemory;
import simplebt.storage.PieceChecker;
import simplebt.storage.ResumeFile;
import simplebt.storage.Storage;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.AnnounceResponse;
import simplebt.wire.Handshake;

/**
 * One torrent being downloaded or seeded: checks the data already on disk, listens for peers,
 * dials known peers, announces to trackers, and runs a one-second ticker for rates, request
 * timeouts, choking and the resume file. Usable as a library: {@link #start}, {@link #status},
 * {@link #awaitCompletion}, {@link #close}. Every thread it starts ends in {@link #close}.
 */
public final class TorrentSession implements AutoCloseable {
    private static final int PORT_TRIES = 10;

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
    private volatile Optional<byte[]> swarmSecret = Optional.empty();
    private volatile List<InetSocketAddress> securePeers = List.of();
    private final PeerSecurityMemory security = new PeerSecurityMemory();
    private final SwarmKeyHolder swarmKey;
    private final PeerConnector connector;
    private volatile double downloadRate;
    private volatile double uploadRate;
    private PeerListener listener;
    private Announcer announcer;
    private Thread ticker;

    private TorrentSession(Metainfo meta, SessionOptions options, SessionTiming timing, RandomGenerator random)
            throws IOException {
        this.meta = meta;
        this.options = options;
        this.timing = timing;
        this.storage = new Storage(options.dataDir(), meta.info());
        this.resume = new ResumeFile(options.dataDir(), meta.infoHash());
        this.swarm = new Swarm(meta, storage, Handshake.newPeerId(), options.maxPeers(),
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
        });
        this.choker = new Choker(random);
        this.dialer = new Dialer(this::dial);
        this.swarmKey = new SwarmKeyHolder(meta.infoHash());
        this.connector = options.encryption() == EncryptionMode.OFF ? new PlainTransport()
                : new SecureConnector(options.encryption(), meta.infoHash(), swarmKey,
                        a -> options.peers().contains(a) || securePeers.contains(a), security, new PlainTransport());
        this.resumeWriter = new ResumeWriter(resume, storage, swarm.picker());
    }

    /** Checks existing data, then starts listening, dialing and announcing. */
    public static TorrentSession start(Metainfo meta, SessionOptions options) throws IOException, InterruptedException {
        return start(meta, options, SessionTiming.DEFAULT);
    }

    /** As {@link #start(Metainfo, SessionOptions)} with other time limits (tests). */
    static TorrentSession start(Metainfo meta, SessionOptions options, SessionTiming timing)
            throws IOException, InterruptedException {
        TorrentSession s = new TorrentSession(meta, options, timing, RandomGenerator.of("L64X128MixRandom"));
        try {
            s.loadExisting();
            s.listen();
            s.launch();
            return s;
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void loadExisting() throws IOException, InterruptedException {
        int count = meta.info().pieceCount();
        Optional<byte[]> saved = resume.load(count, storage.fileStamps());
        BitSet good;
        if (saved.isPresent()) {
            Bitfield b = Bitfield.fromBytes(saved.get(), count);
            good = new BitSet(count);
            for (int i = b.nextSet(0); i >= 0; i = b.nextSet(i + 1)) {
                good.set(i);
            }
            Log.debug("resume file: " + good.cardinality() + " of " + count + " pieces verified earlier");
        } else {
            good = PieceChecker.check(storage, options.checkProgress());
        }
        for (int i = good.nextSetBit(0); i >= 0; i = good.nextSetBit(i + 1)) {
            swarm.markHave(i);
        }
        if (swarm.picker().isComplete()) {
            completed.set(true);
            storage.finish();
            done.countDown();
        }
        if (saved.isEmpty() && good.cardinality() > 0) {
            resumeWriter.dirty();
            resumeWriter.maybeSave(true);
        }
    }

    private void listen() throws IOException {
        int port = options.port();
        for (int attempt = 0; ; attempt++) {
            try {
                listener = new PeerListener(options.bind(), port, this::acceptPlain, this::acceptForeign);
                break;
            } catch (BindException e) {
                if (port == 0 || attempt + 1 >= PORT_TRIES || port >= 65535) {
                    throw new IOException("cannot listen on port " + port + ": " + e.getMessage(), e);
                }
                port++;
            }
        }
        swarm.setListenPort(listener.port());
    }

    private void launch() {
        List<String> trackers = (options.trackers().isEmpty() ? meta.trackers() : options.trackers()).stream()
                .filter(u -> u.startsWith("http://") || u.startsWith("https://")).toList();
        boolean announcing = options.useTrackers() && !trackers.isEmpty();
        if (!announcing) {
            swarmKey.settle(Optional.empty()); // no tracker, no secret: the info hash alone
        }
        options.peers().forEach(a -> dialer.add(a, true));
        if (announcing) {
            announcer = new Announcer(trackers, this::announceRequest, this::onAnnounce);
        }
        ticker = Thread.ofVirtual().name("session-ticker").start(this::tickLoop);
    }

    private AnnounceRequest announceRequest(AnnounceRequest.Event event, int numwant) {
        long left = meta.info().totalLength() - swarm.verifiedBytes();
        return new AnnounceRequest(meta.infoHash(), swarm.peerId(), listener.port(), swarm.uploaded(),
                swarm.downloaded(), left, event, numwant);
    }

    private void onAnnounce(AnnounceResponse reply) {
        reply.swarmSecret().ifPresent(s -> swarmSecret = Optional.of(s));
        securePeers = reply.securePeers();
        swarmKey.settle(swarmSecret);
        for (InetSocketAddress a : reply.peers()) {
            if (!swarm.peers().isSelfOrBanned(a) && !swarm.peers().connectedTo(a)) { // the tracker lists us, and liars, too
                dialer.add(a, false);
            }
        }
        Log.debug("tracker: " + reply.peers().size() + " peers, interval " + reply.interval() + "s");
    }

    private void acceptPlain(PeerStreams streams) {
        if (!options.encryption().acceptsPlain()) {
            Log.debug("incoming plain connection from " + streams.remote() + " refused: --encryption required");
            closeQuietly(streams);
            return;
        }
        accept(streams);
    }

    /** Not plain BitTorrent: the secure channel unless encryption is off. Its connections skip the plain check. */
    private void acceptForeign(Socket socket, InputStream in, Consumer<PeerStreams> plainPath) throws IOException {
        if (!options.encryption().acceptsSecure()) {
            Log.debug("incoming non-plain connection from " + socket.getRemoteSocketAddress() + " closed: --encryption off");
            socket.close();
            return;
        }
        new SecureAcceptor(meta.infoHash(), swarmKey, security).handle(socket, in, this::accept);
    }

    private void accept(PeerStreams streams) {
        if (closed.get() || failure.isPresent()) {
            closeQuietly(streams);
            return;
        }
        runPeer(new PeerConnection(swarm, streams, swarm.nextConnectionId(), false, Optional.empty()));
    }

    private void dial(InetSocketAddress address) {
        Thread t = PeerThreads.unstarted("dial-" + address, () -> {
            boolean connected = false;
            try {
                PeerStreams streams = connector.connect(address);
                connected = true;
                if (closed.get() || failure.isPresent()) {
                    closeQuietly(streams);
                    return;
                }
                PeerConnection c = new PeerConnection(swarm, streams, swarm.nextConnectionId(), true, Optional.of(address));
                c.run();
                connected = !c.droppedForStalling(); // a staller is retried with back-off, like a dead address
            } catch (IOException e) {
                Log.debug("cannot connect to " + address + ": " + e.getMessage());
            } finally {
                dialer.finished(address, connected, completed.get());
                peerThreads.remove(Thread.currentThread());
            }
        });
        peerThreads.add(t);
        t.start();
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

    private void tickLoop() {
        long tick = 0;
        while (!closed.get()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            tick++;
            try {
                tick(tick);
            } catch (RuntimeException e) {
                Log.debug("ticker", e);
            }
        }
    }

    private void tick(long tick) {
        long now = System.nanoTime();
        double down = 0;
        double up = 0;
        long requestTimeout = timing.requestTimeout().toNanos();
        List<PeerConnection> peers = swarm.connections();
        swarm.updateStartedShare((int) peers.stream().filter(PeerConnection::downloadingFrom).count());
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
        if (tick % Choker.ROUND_SECONDS == 0) {
            swarm.applyChoker(choker, tick % (Choker.ROUND_SECONDS * Choker.OPTIMISTIC_ROUNDS) == 0);
        }
        if (failure.isEmpty() && (!completed.get() || swarm.connections().isEmpty())) {
            dialer.dialDue(a -> !swarm.peers().connectedTo(a) && !swarm.peers().isSelfOrBanned(a), options.maxPeers() - swarm.connections().size());
        }
        resumeWriter.maybeSave(false);
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
        if (announcer != null) {
            announcer.completed();
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
        return new SessionStatus(swarm.picker().haveCount(), meta.info().pieceCount(), swarm.verifiedBytes(),
                meta.info().totalLength(), swarm.downloaded(), swarm.uploaded(), downloadRate, uploadRate,
                peers.size(), (int) peers.stream().filter(PeerConnection::peerIsSeed).count(), completed.get(),
                announcer == null ? Optional.empty() : announcer.lastError(), failure);
    }

    public int port() {
        return listener.port();
    }

    public InfoHash infoHash() {
        return meta.infoHash();
    }

    public Metainfo metainfo() {
        return meta;
    }

    /** Our tracker's per-swarm secret ({@code sbt secret}), once an announce returned it. */
    public Optional<byte[]> swarmSecret() {
        return swarmSecret.map(byte[]::clone);
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
        swarmKey.abandon(); // dials waiting for the first announce give up
        if (ticker != null) {
            ticker.interrupt();
            join(ticker);
        }
        if (listener != null) {
            listener.close();
        }
        swarm.connections().forEach(PeerConnection::close);
        for (Thread t : List.copyOf(peerThreads)) {
            join(t);
        }
        if (announcer != null) {
            announcer.close();
        }
        try {
            resumeWriter.maybeSave(true);
            storage.close();
        } catch (IOException e) {
            Log.warn("closing " + storage.root() + ": " + e.getMessage());
        }
        done.countDown();
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
