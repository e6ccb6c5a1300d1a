package simplebt.swarm;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import simplebt.wire.Message;
import simplebt.wire.TorrentShape;

/**
 * Decides which blocks to request from which peer, shared by all connections of a torrent.
 * No I/O; one lock, never held by callers across socket or disk work.
 *
 * <p>It tracks: pieces we have (hash checked), how many peers have each piece, pieces not yet
 * started (in a {@link PieceOrder}, rarest first), and started pieces with a state per block
 * (FREE, REQUESTED by whom, RECEIVED). Order of choice: blocks of started pieces first (so
 * pieces finish and free their buffers), then a new piece: a random one while we have fewer than
 * {@value #RANDOM_FIRST} (so we soon have something to trade), else the rarest. When every
 * missing piece is started and fully requested, end-game: a peer may also ask for blocks others
 * were asked for, and whoever is second gets a cancel.
 *
 * <p>With a file selection ({@code --only}) only the pieces that overlap a chosen file are
 * wanted: the others never enter the order, and "complete" means every wanted piece is in.
 */
public final class PiecePicker {
    static final int RANDOM_FIRST = 4;
    private static final int RANDOM_PROBES = 32;

    private final ReentrantLock lock = new ReentrantLock();
    private final TorrentShape shape;
    private final RandomGenerator random;
    private final int maxStarted;
    private final LongSupplier clock;
    private final long endGameDelayNanos;
    private final Bitfield have;
    /** Wanted pieces we do not have yet (all pieces but those had, unless {@link #restrictTo} narrowed it). */
    private final BitSet needed;
    private int wantedCount;
    private long wantedBytes;
    private long bytesLeft;
    private final PieceOrder untouched;
    /** Started pieces in the order they were started (the order blocks are handed out in). */
    private final Map<Integer, StartedPiece> started = new LinkedHashMap<>();
    /** The same pieces by index: the per-block lookups box no Integer. */
    private final StartedPiece[] startedByIndex;

    /** @param maxStarted how many pieces may be in progress at once (each needs a buffer) */
    public PiecePicker(TorrentShape shape, RandomGenerator random, int maxStarted) {
        this(shape, random, maxStarted, () -> 0L, 0L);
    }

    /**
     * @param clock          nanoseconds, for the end-game delay
     * @param endGameDelayNanos end-game asks a second peer only for blocks requested at least
     *                       this long ago. Without it, deep pipelines on a fast link start
     *                       end-game while much of a small torrent is still in flight, and most
     *                       duplicates were already sent when their cancel arrived: in a
     *                       6-leecher loopback swarm a quarter of all traffic was waste.
     */
    public PiecePicker(TorrentShape shape, RandomGenerator random, int maxStarted, LongSupplier clock,
                       long endGameDelayNanos) {
        this.clock = clock;
        this.endGameDelayNanos = endGameDelayNanos;
        this.shape = shape;
        this.random = random;
        this.maxStarted = maxStarted;
        this.have = new Bitfield(shape.pieceCount());
        this.startedByIndex = new StartedPiece[shape.pieceCount()];
        this.untouched = new PieceOrder(shape.pieceCount(), random);
        this.needed = new BitSet(shape.pieceCount());
        needed.set(0, shape.pieceCount());
        this.wantedCount = shape.pieceCount();
        this.wantedBytes = shape.totalLength();
        this.bytesLeft = wantedBytes;
    }

    /**
     * Only these pieces are to be fetched (those overlapping the chosen files); call before any
     * peer is seen. The others leave the order for good; pieces had already stay had.
     */
    public void restrictTo(BitSet wanted) {
        lock.lock();
        try {
            wantedCount = 0;
            wantedBytes = 0;
            bytesLeft = 0;
            for (int i = 0; i < shape.pieceCount(); i++) {
                if (wanted.get(i)) {
                    wantedCount++;
                    wantedBytes += shape.pieceSize(i);
                    if (!have.get(i)) {
                        bytesLeft += shape.pieceSize(i);
                    }
                    continue;
                }
                if (startedByIndex[i] != null) {
                    throw new IllegalStateException("piece " + i + " was started before the selection was set");
                }
                needed.clear(i);
                untouched.remove(i);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * What became of an arriving block: if {@code wanted}, the caller copies it into the piece
     * buffer and then calls {@link #blockWritten}; {@code cancelAt} lists other peers that were
     * asked for the same block (end-game) and should get a cancel.
     */
    public record Received(boolean wanted, List<Integer> cancelAt) {
        static final Received NOT_WANTED = new Received(false, List.of());
        /** The usual case, without an allocation per block. */
        static final Received WANTED = new Received(true, List.of());
    }

    /** Marks pieces found on disk at start (resume). */
    public void markHave(int piece) {
        lock.lock();
        try {
            started.remove(piece);
            startedByIndex[piece] = null;
            untouched.remove(piece);
            gained(piece);
        } finally {
            lock.unlock();
        }
    }

    public void peerHas(Bitfield pieces) {
        lock.lock();
        try {
            for (int i = pieces.nextSet(0); i >= 0; i = pieces.nextSet(i + 1)) {
                untouched.increment(i);
            }
        } finally {
            lock.unlock();
        }
    }

    public void peerHas(int piece) {
        lock.lock();
        try {
            untouched.increment(piece);
        } finally {
            lock.unlock();
        }
    }

    /** A peer left: its pieces no longer count and its requests are free for others. */
    public void peerGone(int peerId, Bitfield pieces, List<Block> outstanding) {
        lock.lock();
        try {
            for (int i = pieces.nextSet(0); i >= 0; i = pieces.nextSet(i + 1)) {
                untouched.decrement(i);
            }
            release(peerId, outstanding);
        } finally {
            lock.unlock();
        }
    }

    /** Requests that will not be answered (choked, timed out, rejected) go back to the pool. */
    public void release(int peerId, List<Block> blocks) {
        lock.lock();
        try {
            for (Block b : blocks) {
                StartedPiece s = startedByIndex[b.piece()];
                if (s != null) {
                    s.dropRequester(b.offset() / Message.MAX_BLOCK, peerId);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code max} blocks for this peer to request, best first. */
    public List<Block> pick(int peerId, Bitfield peerHas, int max) {
        return pick(peerId, peerHas, max, Integer.MAX_VALUE);
    }

    /**
     * As {@link #pick(int, Bitfield, int)}, but no new piece is started for this peer while it has
     * requests in {@code maxPieces} started pieces or more: its share of the started-piece limit,
     * so one slow peer cannot hold every started piece while fast peers wait for a free one.
     */
    public List<Block> pick(int peerId, Bitfield peerHas, int max, int maxPieces) {
        List<Block> out = new ArrayList<>(Math.min(max, 64));
        long now = clock.getAsLong();
        lock.lock();
        try {
            for (StartedPiece s : started.values()) {
                if (out.size() >= max) {
                    return out;
                }
                if (peerHas.get(s.piece)) {
                    s.takeFree(peerId, max, out, now);
                }
            }
            int held = -1;
            while (out.size() < max && started.size() < maxStarted) {
                held = held < 0 ? piecesHeldBy(peerId) : held + 1;
                if (held >= maxPieces) {
                    break;
                }
                int piece = have.count() < RANDOM_FIRST ? randomPiece(peerHas) : rarestPiece(peerHas);
                if (piece < 0) {
                    break;
                }
                untouched.remove(piece);
                StartedPiece s = new StartedPiece(piece, shape.blocksIn(piece), shape.pieceSize(piece));
                started.put(piece, s);
                startedByIndex[piece] = s;
                s.takeFree(peerId, max, out, now);
            }
            if (out.isEmpty() && untouched.size() == 0) {
                endGame(peerId, peerHas, max, out, now - endGameDelayNanos);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the piece is had now; a wanted one counts off what is left. */
    private void gained(int piece) {
        if (have.set(piece) && needed.get(piece)) {
            needed.clear(piece);
            bytesLeft -= shape.pieceSize(piece);
        }
    }

    /** Started pieces in which the peer has a block requested (counted only when starting a piece). */
    private int piecesHeldBy(int peerId) {
        int n = 0;
        for (StartedPiece s : started.values()) {
            if (s.requestedBy(peerId)) {
                n++;
            }
        }
        return n;
    }

    /** The started-piece limit (each started piece needs a buffer). */
    public int maxStarted() {
        return maxStarted;
    }

    private int rarestPiece(Bitfield peerHas) {
        for (int i = untouched.firstWithAtLeast(1); i < untouched.size(); i++) {
            int piece = untouched.at(i);
            if (peerHas.get(piece)) {
                return piece;
            }
        }
        return -1;
    }

    private int randomPiece(Bitfield peerHas) {
        int from = untouched.firstWithAtLeast(1);
        int span = untouched.size() - from;
        for (int probe = 0; probe < RANDOM_PROBES && span > 0; probe++) {
            int piece = untouched.at(from + random.nextInt(span));
            if (peerHas.get(piece)) {
                return piece;
            }
        }
        return rarestPiece(peerHas);
    }

    private void endGame(int peerId, Bitfield peerHas, int max, List<Block> out, long askedBy) {
        for (StartedPiece s : started.values()) {
            if (peerHas.get(s.piece)) {
                s.takeDuplicates(peerId, max, out, askedBy);
                if (out.size() >= max) {
                    return;
                }
            }
        }
    }

    /** A block arrived: claims it for writing unless someone else already delivered it. */
    public Received blockReceived(int peerId, int piece, int offset) {
        lock.lock();
        try {
            StartedPiece s = startedByIndex[piece];
            if (s == null || offset % Message.MAX_BLOCK != 0) {
                return Received.NOT_WANTED;
            }
            return s.claimForWriting(offset / Message.MAX_BLOCK, peerId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The block's bytes are in the piece buffer. Returns true for exactly one caller per piece:
     * the one whose block completed it, who then checks the hash. Taking this lock after the
     * copy is what makes every block's bytes visible to that caller.
     */
    public boolean blockWritten(int piece, int offset) {
        lock.lock();
        try {
            StartedPiece s = startedByIndex[piece];
            if (s == null) {
                throw new IllegalStateException("block " + piece + "/" + offset + " was not claimed for writing");
            }
            return s.written(offset / Message.MAX_BLOCK);
        } finally {
            lock.unlock();
        }
    }

    public void pieceVerified(int piece) {
        lock.lock();
        try {
            started.remove(piece);
            startedByIndex[piece] = null;
            untouched.remove(piece);
            gained(piece);
        } finally {
            lock.unlock();
        }
    }

    /** The hash did not match: every block of the piece must be fetched again. */
    public void pieceFailed(int piece) {
        lock.lock();
        try {
            StartedPiece s = startedByIndex[piece];
            if (s != null) {
                s.reset();
            }
        } finally {
            lock.unlock();
        }
    }

    /** True when the peer has a piece we want and lack. */
    public boolean wantsAnyOf(Bitfield peerHas) {
        lock.lock();
        try {
            return peerHas.intersects(needed);
        } finally {
            lock.unlock();
        }
    }

    /** True when we want this piece and lack it. */
    public boolean wants(int piece) {
        lock.lock();
        try {
            return needed.get(piece);
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of wanted pieces not verified yet (the tracker's {@code left}). */
    public long bytesLeft() {
        lock.lock();
        try {
            return bytesLeft;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of all wanted pieces (the whole torrent without a selection). */
    public long wantedBytes() {
        lock.lock();
        try {
            return wantedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** How many pieces are wanted, and how many of them are still missing. */
    public int wantedCount() {
        lock.lock();
        try {
            return wantedCount;
        } finally {
            lock.unlock();
        }
    }

    public int missingCount() {
        lock.lock();
        try {
            return needed.cardinality();
        } finally {
            lock.unlock();
        }
    }

    public boolean has(int piece) {
        lock.lock();
        try {
            return have.get(piece);
        } finally {
            lock.unlock();
        }
    }

    public Bitfield have() {
        lock.lock();
        try {
            return have.copy();
        } finally {
            lock.unlock();
        }
    }

    public int haveCount() {
        lock.lock();
        try {
            return have.count();
        } finally {
            lock.unlock();
        }
    }

    /** Every wanted piece is in (every piece, without a selection). */
    public boolean isComplete() {
        lock.lock();
        try {
            return needed.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Started pieces, for tests and status. */
    public int startedCount() {
        lock.lock();
        try {
            return started.size();
        } finally {
            lock.unlock();
        }
    }

    public void checkInvariants() {
        lock.lock();
        try {
            untouched.checkInvariants();
            for (int i = 0; i < shape.pieceCount(); i++) {
                int places = (have.get(i) ? 1 : 0) + (started.containsKey(i) ? 1 : 0) + (untouched.contains(i) ? 1 : 0);
                if ((startedByIndex[i] != null) != started.containsKey(i)) {
                    throw new IllegalStateException("piece " + i + ": started index and map disagree");
                }
                boolean outOfSelection = !have.get(i) && !needed.get(i);
                if (places != (outOfSelection ? 0 : 1)) {
                    throw new IllegalStateException("piece " + i + " is in " + places + " of have/started/untouched"
                            + (outOfSelection ? " though not wanted" : ""));
                }
                if (needed.get(i) && have.get(i)) {
                    throw new IllegalStateException("piece " + i + " is had and still needed");
                }
            }
            if (started.size() > maxStarted) {
                throw new IllegalStateException(started.size() + " pieces started, limit " + maxStarted);
            }
            started.values().forEach(StartedPiece::checkInvariants);
        } finally {
            lock.unlock();
        }
    }
}
