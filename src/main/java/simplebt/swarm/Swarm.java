package simplebt.swarm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

import simplebt.log.Log;
import simplebt.metainfo.Info;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.storage.PieceChecker;
import simplebt.storage.Storage;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * The state one torrent's connections share: picker, piece buffers, storage, the registry of
 * live connections and the transfer counters. Connections call in here; nothing in here calls
 * out to the network except by queuing messages on connections.
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
    private final int maxPeers;
    private final long evictionGraceNanos;
    /** Makes the limit check and the admission one step; never held across I/O. */
    private final ReentrantLock admission = new ReentrantLock();
    private final Events events;
    private final Map<Integer, PeerConnection> connections = new ConcurrentHashMap<>();
    private final Set<InetSocketAddress> selves = ConcurrentHashMap.newKeySet();
    private final Set<InetSocketAddress> banned = ConcurrentHashMap.newKeySet();
    /** Peer ids (hex) of banned peers, so a liar cannot come back by connecting to us. */
    private final Set<String> bannedIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicLong verifiedBytes = new AtomicLong();
    private final ReentrantLock chokeLock = new ReentrantLock();
    private final ThreadLocal<MessageDigest> sha1 = ThreadLocal.withInitial(PieceChecker::sha1);
    private final ExecutorService verifier;
    private final HashFailures hashFailures = new HashFailures();
    private volatile int listenPort;

    /** What the session hears about: pieces done, fatal errors. */
    interface Events {
        void pieceVerified(int piece, boolean torrentComplete);

        void fatal(String message);
    }

    Swarm(Metainfo meta, Storage storage, byte[] peerId, int maxPeers, long evictionGraceNanos, RandomGenerator random,
          Events events) {
        this(meta, storage, peerId, maxPeers, evictionGraceNanos, random, events, BUFFER_BUDGET);
    }

    /** @param bufferBudget bytes of piece buffers (tests use a small one to make the limit bite) */
    Swarm(Metainfo meta, Storage storage, byte[] peerId, int maxPeers, long evictionGraceNanos, RandomGenerator random,
          Events events, long bufferBudget) {
        this.meta = meta;
        Info info = meta.info();
        this.shape = TorrentShape.of(info);
        this.codec = new MessageCodec(shape);
        int maxStarted = (int) Math.max(4, Math.min(1024, bufferBudget / info.pieceLength()));
        this.picker = new PiecePicker(shape, random, maxStarted, System::nanoTime, END_GAME_DELAY_NANOS);
        this.buffers = new PieceBuffers(info.pieceLength(), maxStarted);
        this.storage = storage;
        this.peerId = peerId.clone();
        this.maxPeers = maxPeers;
        this.evictionGraceNanos = evictionGraceNanos;
        this.events = events;
        // One thread: SHA-1 runs at over 1 GB/s, and two writers to one file only contend for its inode lock.
        this.verifier = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("piece-verifier").daemon().factory());
    }

    /** Lets queued pieces finish writing, then stops the verifier threads. */
    void shutdownVerifier() {
        verifier.shutdown();
        try {
            if (!verifier.awaitTermination(30, TimeUnit.SECONDS)) {
                verifier.shutdownNow();
            }
        } catch (InterruptedException e) {
            verifier.shutdownNow();
            Thread.currentThread().interrupt();
        }
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

    int nextConnectionId() {
        return nextId.getAndIncrement();
    }

    void markHave(int piece) {
        picker.markHave(piece);
        verifiedBytes.addAndGet(shape.pieceSize(piece));
    }

    /**
     * Admits a connection after its handshake; refuses banned peer ids and duplicates (same peer
     * id). At the connection limit a newcomer takes the place of a useless peer ({@link Eviction}),
     * which is closed; if every peer is worth keeping, the newcomer is refused.
     */
    boolean register(PeerConnection c) {
        if (c.remotePeerId != null && bannedIds.contains(HexFormat.of().formatHex(c.remotePeerId))) {
            Log.debug("banned peer id, dropping " + c.remote());
            return false;
        }
        PeerConnection evicted = null;
        admission.lock();
        try {
            for (PeerConnection other : connections.values()) {
                if (Arrays.equals(other.remotePeerId, c.remotePeerId)) {
                    if (c.dialed.isPresent()) {
                        other.listenAddress = c.dialed; // the peer we dialed is one that dialed us
                    }
                    Log.debug("already connected to that peer id, dropping " + c.remote());
                    return false;
                }
            }
            if (connections.size() >= maxPeers) {
                evicted = worstPeer();
                if (evicted == null) {
                    Log.debug("too many peers (" + maxPeers + "), all of them useful; dropping " + c.remote());
                    return false;
                }
                connections.remove(evicted.id);
            }
            connections.put(c.id, c);
        } finally {
            admission.unlock();
        }
        if (evicted != null) {
            Log.debug("connection limit " + maxPeers + ": " + evicted.remote() + " makes room for " + c.remote());
            evicted.close();
        }
        return true;
    }

    private PeerConnection worstPeer() {
        long now = System.nanoTime();
        List<Eviction.Candidate> all = connections.values().stream().map(p -> new Eviction.Candidate(p.id,
                p.connectedNanos, p.lastUsefulNanos, p.snubbed(), p.amInterested, p.peerInterested)).toList();
        return Eviction.victim(all, now, evictionGraceNanos).map(v -> connections.get(v.id())).orElse(null);
    }

    void unregister(PeerConnection c) {
        connections.remove(c.id);
    }

    List<PeerConnection> connections() {
        return new ArrayList<>(connections.values());
    }

    boolean connectedTo(InetSocketAddress address) {
        return connections.values().stream().anyMatch(c -> c.listenAddress.filter(address::equals).isPresent());
    }

    void markSelf(InetSocketAddress address) {
        selves.add(address);
    }

    boolean isSelfOrBanned(InetSocketAddress address) {
        return selves.contains(address) || banned.contains(address);
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
        return verifiedBytes.get();
    }

    void cancel(int peer, Block block) {
        PeerConnection c = connections.get(peer);
        if (c != null) {
            c.cancel(block);
        }
    }

    /**
     * All blocks of the piece are in its buffer. Hashing and writing go to the verifier threads
     * so the connection's reader goes straight back to the socket; the buffer stays reserved
     * (the piece stays started in the picker) until it is written, so memory stays bounded.
     */
    void pieceComplete(int piece) {
        try {
            verifier.execute(() -> verifyAndWrite(piece));
        } catch (RejectedExecutionException e) {
            buffers.release(piece); // shutting down: the piece is simply not done
        }
    }

    /** Check the SHA-1, write the piece, tell everyone. */
    private void verifyAndWrite(int piece) {
        byte[] buffer = buffers.get(piece);
        int size = shape.pieceSize(piece);
        if (!PieceChecker.matches(meta.info(), piece, buffer, size, sha1.get())) {
            hashFailed(piece, buffer, size);
            return;
        }
        for (HashFailures.Sender liar : hashFailures.verified(piece, buffer, size)) {
            if (!bannedIds.contains(liar.key())) {
                Log.warn("a peer sent bad data for piece " + piece + "; banned");
            }
            ban(liar);
        }
        try {
            storage.writePiece(piece, buffer, size);
        } catch (IOException e) {
            buffers.release(piece);
            picker.pieceFailed(piece);
            events.fatal("cannot write to " + storage.root() + ": " + (e.getMessage() == null ? e : e.getMessage()));
            return;
        }
        buffers.release(piece);
        picker.pieceVerified(piece);
        verifiedBytes.addAndGet(size);
        for (PeerConnection c : connections.values()) {
            c.sendHave(piece);
            // The piece's slot in the picker is free again. A connection whose pipeline drained
            // while every started piece waited here has no block arriving to trigger its refill,
            // so without this it idled until the ticker's next second: with 1 MiB pieces that
            // stalled a loopback download to 0 every ~1.5 s.
            c.refillQueued();
        }
        events.pieceVerified(piece, picker.isComplete());
    }

    /**
     * A piece failed its hash: it is discarded and fetched again. If one peer sent all of it, that
     * peer lied and is banned now; if several did, {@link HashFailures} finds the liar once the
     * piece verifies, so honest peers that contributed blocks are not banned with it.
     */
    private void hashFailed(int piece, byte[] buffer, int size) {
        int[] who = buffers.blockSenders(piece);
        HashFailures.Sender[] senders = new HashFailures.Sender[who.length];
        Set<Integer> distinct = new HashSet<>();
        for (int b = 0; b < who.length; b++) {
            PeerConnection c = who[b] == 0 ? null : connections.get(who[b]);
            if (c != null && c.remotePeerId != null) {
                senders[b] = new HashFailures.Sender(c.remotePeerId.clone(), c.dialed);
            }
            if (who[b] != 0) {
                distinct.add(who[b]);
            }
        }
        hashFailures.failed(piece, buffer, size, senders);
        buffers.release(piece);
        picker.pieceFailed(piece);
        if (distinct.size() == 1) {
            Log.warn("piece " + piece + " failed its hash check; banning the peer that sent it");
            Arrays.stream(senders).filter(Objects::nonNull).findFirst().ifPresent(this::ban);
        } else {
            Log.warn("piece " + piece + " failed its hash check; " + distinct.size()
                    + " peers sent blocks, the liar is found when it verifies");
        }
    }

    /** Banned for this torrent: never dialed again, refused if it connects to us; its connections close. */
    private void ban(HashFailures.Sender s) {
        s.dialed().ifPresent(banned::add);
        if (s.peerId().length > 0) {
            bannedIds.add(s.key());
        }
        for (PeerConnection c : connections.values()) {
            boolean sameId = c.remotePeerId != null && s.peerId().length > 0 && Arrays.equals(c.remotePeerId, s.peerId());
            if (sameId || (c.dialed.isPresent() && c.dialed.equals(s.dialed()))) {
                c.close();
            }
        }
    }

    /** A peer became interested: unchoke at once if a slot is free (the choker may revise later). */
    void peerInterested(PeerConnection c) {
        chokeLock.lock();
        try {
            long unchoked = connections.values().stream().filter(p -> !p.amChoking).count();
            if (c.amChoking && Choker.hasFreeSlot((int) unchoked)) {
                c.setChoking(false);
            }
        } finally {
            chokeLock.unlock();
        }
    }

    void applyChoker(Choker choker, boolean rotate) {
        chokeLock.lock();
        try {
            List<PeerConnection> all = connections();
            long now = System.nanoTime();
            long fresh = TimeUnit.SECONDS.toNanos(Choker.FRESH_SECONDS);
            List<Choker.Candidate> candidates = all.stream().map(c -> new Choker.Candidate(c.id, c.peerInterested,
                    c.rateToUs, c.rateFromUs, now - c.connectedNanos < fresh)).toList();
            Set<Integer> unchoke = choker.decide(candidates, picker.isComplete(), rotate);
            for (PeerConnection c : all) {
                c.setChoking(!unchoke.contains(c.id));
            }
        } finally {
            chokeLock.unlock();
        }
    }
}
