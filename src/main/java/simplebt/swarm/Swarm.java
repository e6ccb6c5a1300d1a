package simplebt.swarm;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

import simplebt.metainfo.Info;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.storage.Storage;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * What one torrent's connections share: the picker, the piece buffers, storage, the
 * {@link PeerRegistry}, the {@link PieceVerifier}, unchoke slots and the transfer counters.
 * Connections call in here; nothing in here calls out to the network except by queuing
 * messages on connections.
 *
 * <p>Locks, and the only order in which one is taken while another is held (none is held
 * across socket I/O except a connection's write lock, which is held only around its writes):
 * <ol>
 *   <li>{@code chokeLock} (here), then a connection's {@code flags};</li>
 *   <li>a connection's {@link RequestPipeline} lock, then its {@link PeerPieces} lock, then
 *       the picker's (a refill picks inside the pipeline's lock);</li>
 *   <li>a connection's {@link PeerPieces} lock, then the picker's;</li>
 *   <li>a piece's lock in {@link PieceBuffers}, then the storage's per-file lock (a piece too
 *       large to buffer is written to disk block by block under its own lock).</li>
 * </ol>
 * The picker's lock, {@link PieceBuffers}' map lock, {@link HashFailures}' and the registry's
 * admission lock are leaves: nothing is taken under them. A connection's {@code PeerWriter}
 * write lock is taken with no other lock held.
 */
final class Swarm {
    /** Bytes of piece buffers a leecher may hold; bounds memory whatever the torrent's size. */
    static final long BUFFER_BUDGET = 32L << 20;
    /** End-game doubles up only on blocks outstanding this long (the ticker retries each second). */
    static final long END_GAME_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Metainfo meta;
    private final TorrentShape shape;
    private final MessageCodec codec;
    private final PiecePicker picker;
    private final PieceBuffers buffers;
    private final Storage storage;
    private final byte[] peerId;
    private final PeerRegistry peers;
    private final PieceVerifier verifier;
    private final MetadataServer metadata;
    private final Events events;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong uploaded = new AtomicLong();
    private final ReentrantLock chokeLock = new ReentrantLock();
    private final HostLimits limits;
    private volatile int listenPort;
    /** Started pieces one peer may hold requests in; set by the session's ticker. */
    private volatile int startedShare;

    /** What the session hears about: pieces done, fatal errors. */
    interface Events {
        void pieceVerified(int piece, boolean torrentComplete);

        void fatal(String message);

        /** BEP 11: addresses a peer told us about (never called for a private torrent). */
        default void peersExchanged(List<InetSocketAddress> peers) {
        }
    }

    Swarm(Metainfo meta, Storage storage, byte[] peerId, int maxPeers, long evictionGraceNanos, RandomGenerator random,
          Events events) {
        this(meta, storage, peerId, maxPeers, evictionGraceNanos, random, events, BUFFER_BUDGET);
    }

    /** @param bufferBudget bytes of piece buffers (tests use a small one to make the limit bite) */
    Swarm(Metainfo meta, Storage storage, byte[] peerId, int maxPeers, long evictionGraceNanos, RandomGenerator random,
          Events events, long bufferBudget) {
        this(meta, storage, peerId, maxPeers, evictionGraceNanos, random, events, bufferBudget, HostLimits.none());
    }

    /** @param limits what all torrents of the process share: upload slots, rate limits */
    Swarm(Metainfo meta, Storage storage, byte[] peerId, int maxPeers, long evictionGraceNanos, RandomGenerator random,
          Events events, long bufferBudget, HostLimits limits) {
        this.limits = limits;
        this.meta = meta;
        Info info = meta.info();
        this.shape = TorrentShape.of(info);
        this.codec = new MessageCodec(shape);
        int maxStarted = PieceBuffers.maxStarted(info.pieceLength(), bufferBudget);
        this.picker = new PiecePicker(shape, random, maxStarted, System::nanoTime, END_GAME_DELAY_NANOS);
        this.picker.restrictTo(storage.wantedPieces()); // --only: pieces that touch no chosen file are never fetched
        this.buffers = new PieceBuffers(shape, storage, maxStarted);
        this.storage = storage;
        this.peerId = peerId.clone();
        this.peers = new PeerRegistry(this.peerId, maxPeers, evictionGraceNanos);
        this.verifier = new PieceVerifier(info, buffers, storage, picker, peers, events);
        this.startedShare = maxStarted;
        this.metadata = new MetadataServer(meta.rawInfo());
        this.events = events;
    }

    Events events() {
        return events;
    }

    /** BEP 27: no peer exchange (nor DHT) for a private torrent; its tracker alone names peers. */
    boolean exchangesPeers() {
        return !meta.info().isPrivate();
    }

    /** BEP 9: our info dictionary for peers that came by magnet link. */
    MetadataServer metadata() {
        return metadata;
    }

    TorrentShape shape() {
        return shape;
    }

    MessageCodec codec() {
        return codec;
    }

    PiecePicker picker() {
        return picker;
    }

    PieceBuffers buffers() {
        return buffers;
    }

    Storage storage() {
        return storage;
    }

    PeerRegistry peers() {
        return peers;
    }

    PieceVerifier verifier() {
        return verifier;
    }

    InfoHash infoHash() {
        return meta.infoHash();
    }

    byte[] peerId() {
        return peerId.clone();
    }

    int listenPort() {
        return listenPort;
    }

    void setListenPort(int port) {
        listenPort = port;
    }

    HostLimits limits() {
        return limits;
    }

    int nextConnectionId() {
        return nextId.getAndIncrement();
    }

    /** A piece found good on disk at start. */
    void markHave(int piece) {
        picker.markHave(piece);
        verifier.countResumed(shape.pieceSize(piece));
    }

    /** All connections, for tests and the session. */
    List<PeerConnection> connections() {
        return peers.all();
    }

    int connectionCount() {
        return peers.size();
    }

    void countDownloaded(int n) {
        downloaded.addAndGet(n);
    }

    void countUploaded(int n) {
        uploaded.addAndGet(n);
    }

    long downloaded() {
        return downloaded.get();
    }

    long uploaded() {
        return uploaded.get();
    }

    long verifiedBytes() {
        return verifier.verifiedBytes();
    }

    int startedShare() {
        return startedShare;
    }

    /**
     * Each peer we download from may hold requests in an equal share of the started-piece limit
     * (at least two pieces), so one slow peer cannot occupy all of them.
     */
    void updateStartedShare(int downloadingFrom) {
        startedShare = Math.max(2, picker.maxStarted() / Math.max(1, downloadingFrom));
    }

    /** End-game: tell another peer asked for the same block that it has arrived. */
    void cancel(int peer, Block block) {
        peers.get(peer).ifPresent(c -> c.cancel(block));
    }

    /** A peer became interested: unchoke at once if a slot is free (the choker may revise later). */
    void peerInterested(PeerConnection c) {
        chokeLock.lock();
        try {
            if (c.amChoking() && Choker.hasFreeSlot(unchokedCount()) && limits.uploadSlots().tryOne(this)) {
                c.setChoking(false);
            }
        } finally {
            chokeLock.unlock();
        }
    }

    /**
     * A peer we unchoked has gone: its slot goes to an interested peer we choke now, not at the
     * next choke round (up to 10 s later). In the swarm benchmark the last leecher, choked by the
     * seeder, waited out that round after the others had finished and left.
     */
    void unchokedPeerLeft() {
        chokeLock.lock();
        try {
            // the leaver's host-wide slot (--upload-slots) comes back first, else a full cap refuses the hand-over
            limits.uploadSlots().unchokedPeerLeft(this, unchokedCount());
            long now = System.nanoTime();
            for (PeerConnection c : peers.all()) {
                if (c.amChoking() && c.chokerCandidate(now).interested()) {
                    peerInterested(c); // unchokes while a slot is free
                }
            }
        } finally {
            chokeLock.unlock();
        }
    }

    /** Peers we unchoke now; the leaver is out of {@code peers} already. */
    private int unchokedCount() {
        return (int) peers.all().stream().filter(p -> !p.amChoking()).count();
    }

    /** The torrent stops: its upload slots go back to the others. */
    void releaseUploadSlots() {
        limits.uploadSlots().release(this);
    }

    void applyChoker(Choker choker, boolean rotate) {
        chokeLock.lock();
        try {
            List<PeerConnection> all = peers.all();
            long now = System.nanoTime();
            List<Choker.Candidate> candidates = all.stream().map(c -> c.chokerCandidate(now)).toList();
            // in the choker's order, best first: the process-wide cap on upload slots keeps the best
            List<Integer> wanted = List.copyOf(choker.decide(candidates, picker.isComplete(), rotate));
            Set<Integer> unchoke = Set.copyOf(wanted.subList(0, limits.uploadSlots().claim(this, wanted.size())));
            for (PeerConnection c : all) {
                c.setChoking(!unchoke.contains(c.id()));
            }
        } finally {
            chokeLock.unlock();
        }
    }
}
