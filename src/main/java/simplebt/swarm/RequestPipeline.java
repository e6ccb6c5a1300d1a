package simplebt.swarm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

import simplebt.wire.Message;

/**
 * Our requests to one peer, without the socket: which blocks are in flight, how many may be,
 * and when the peer has kept us waiting too long. The room is the least of
 * <ul>
 *   <li>a slow-start window: {@value #INITIAL} at first, one more per block delivered;</li>
 *   <li>the queue the peer says it keeps (BEP 10 {@code reqq}) and {@value #MAX};</li>
 *   <li>{@value #QUEUE_SECONDS} seconds of the peer's measured rate, at least {@value #MIN}:
 *       a slow peer (libtorrent offers reqq 500) at 50 KiB/s used to collect megabytes of
 *       requests across the started pieces and hold them, so fast peers starved at the
 *       started-piece limit.</li>
 * </ul>
 * A peer that delivers nothing for the request timeout is snubbed: its requests come back (the
 * caller cancels them on the wire and gives them to the picker) and it gets one request at a
 * time until it delivers; {@value #MAX_TIMEOUTS} timeouts in a row and it is stalled.
 *
 * <p>Blocks we asked for and then took back (a choke, an end-game cancel, a timeout) may still
 * arrive, since they crossed our cancel on the wire; the last {@value #MAX} of them are
 * remembered as {@link Delivery#LATE}. Anything else is {@link Delivery#UNREQUESTED}: junk.
 *
 * <p>Every field is guarded by {@link #lock}. Lock order: this lock, then the picker's (the
 * pick runs inside {@link #refill}, so two threads refilling at once cannot both fill one room).
 */
final class RequestPipeline {
    static final int INITIAL = 16;
    static final int MIN = 4;
    static final int MAX = 500;
    static final int DEFAULT_PEER_QUEUE = 250;
    static final int QUEUE_SECONDS = 3;
    static final int MAX_TIMEOUTS = 3;

    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Requests in flight, oldest first, as parallel arrays rather than a set of {@link Block}s:
     * a block arriving finds its request at or near the front (peers answer in order) without
     * allocating anything, once per block.
     */
    private int[] pieces = new int[INITIAL];
    private int[] offsets = new int[INITIAL];
    private int[] lengths = new int[INITIAL];
    private int count;
    /** Asked for and taken back, oldest first, at most {@value #MAX}. */
    private final LinkedHashSet<Block> takenBack = new LinkedHashSet<>();
    private int window = INITIAL;
    private int peerQueue = DEFAULT_PEER_QUEUE;
    private int rateRoom = MAX;
    private int timeouts;
    /** When the last block arrived, or the pipeline started filling from empty (nanoTime). */
    private long waitingSince;

    /** What a {@code piece} message was, to this peer's requests. */
    enum Delivery {
        /** In flight: we asked this peer for exactly this block. */
        REQUESTED,
        /** We asked for it and took the request back (choke, cancel, timeout); it crossed on the wire. */
        LATE,
        /** Never asked of this peer, or not with this length. */
        UNREQUESTED
    }

    RequestPipeline(long now) {
        this.waitingSince = now;
    }

    /**
     * Asks {@code pick} for as many blocks as there is room for and records them as requested.
     * Tops up in batches (a quarter of the room) so requests share writes; empty when there is
     * not enough room yet.
     */
    List<Block> refill(IntFunction<List<Block>> pick, long now) {
        lock.lock();
        try {
            int limit = limit();
            int want = limit - count;
            if (want <= 0 || (want < Math.max(1, limit / 4) && count > 0)) {
                return List.of();
            }
            if (count == 0) {
                waitingSince = now;
            }
            List<Block> picked = pick.apply(want);
            for (Block b : picked) {
                add(b);
            }
            return picked;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A block arrived. Only one we asked for (in flight with this length, or taken back lately)
     * counts as the peer delivering: it resets the request timeout, and one in flight grows the
     * window. Junk changes nothing, so it cannot keep a peer that sends nothing useful from
     * timing out. The common case (in flight) allocates nothing.
     */
    Delivery delivered(int piece, int offset, int length, long now) {
        lock.lock();
        try {
            Delivery d = settle(piece, offset, length);
            if (d == Delivery.UNREQUESTED) {
                return d;
            }
            waitingSince = now;
            timeouts = 0;
            if (d == Delivery.REQUESTED && window < Math.min(peerQueue, MAX)) {
                window++;
            }
            return d;
        } finally {
            lock.unlock();
        }
    }

    /**
     * BEP 6 reject: the peer will not send this block. One in flight is forgotten (the caller
     * gives it back to the picker, as after a timeout); one we took back is the answer to our
     * cancel or a crossed choke, and is forgotten too. Neither counts as the peer delivering.
     * {@link Delivery#UNREQUESTED} is a reject for a request we never sent: a protocol error.
     */
    Delivery rejected(Block block) {
        lock.lock();
        try {
            return settle(block.piece(), block.offset(), block.length());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: the peer answered this block (with data or a reject), so it leaves the
     * books: in flight, or among those taken back. Only the rare late answer allocates.
     */
    private Delivery settle(int piece, int offset, int length) {
        int at = indexOf(piece, offset, length);
        if (at >= 0) {
            removeAt(at);
            return Delivery.REQUESTED;
        }
        return takenBack.remove(new Block(piece, offset, length)) ? Delivery.LATE : Delivery.UNREQUESTED;
    }

    /** End-game: another peer delivered the block; true if it was in flight here (send a cancel). */
    boolean cancel(Block block) {
        lock.lock();
        try {
            int at = indexOf(block.piece(), block.offset(), block.length());
            if (at < 0) {
                return false;
            }
            removeAt(at);
            takeBack(List.of(block));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Everything in flight, now forgotten (choked, or the connection ends). */
    List<Block> clear() {
        lock.lock();
        try {
            return takeBackAll();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: everything in flight, taken back. */
    private List<Block> takeBackAll() {
        List<Block> all = takeAll();
        takeBack(all);
        return all;
    }

    /** Under the lock: remember blocks taken back, forgetting the oldest beyond {@value #MAX}. */
    private void takeBack(List<Block> blocks) {
        for (Block b : blocks) {
            takenBack.remove(b);
            takenBack.add(b);
        }
        for (var it = takenBack.iterator(); takenBack.size() > MAX && it.hasNext(); ) {
            it.next();
            it.remove();
        }
    }

    /**
     * If requests are in flight and no block came for {@code timeoutNanos}: the peer is snubbed,
     * and the requests are returned for the caller to cancel; else empty.
     */
    List<Block> timeOutIfDue(long now, long timeoutNanos) {
        lock.lock();
        try {
            if (count == 0 || now - waitingSince <= timeoutNanos) {
                return List.of();
            }
            window = 1;
            timeouts++;
            waitingSince = now;
            return takeBackAll();
        } finally {
            lock.unlock();
        }
    }

    private void add(Block b) {
        if (count == pieces.length) {
            int grown = Math.max(count * 2, 1);
            pieces = Arrays.copyOf(pieces, grown);
            offsets = Arrays.copyOf(offsets, grown);
            lengths = Arrays.copyOf(lengths, grown);
        }
        pieces[count] = b.piece();
        offsets[count] = b.offset();
        lengths[count] = b.length();
        count++;
    }

    /** Where this exact request (same length too) sits in flight, or -1. */
    private int indexOf(int piece, int offset, int length) {
        for (int i = 0; i < count; i++) {
            if (pieces[i] == piece && offsets[i] == offset && lengths[i] == length) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        int tail = count - i - 1;
        System.arraycopy(pieces, i + 1, pieces, i, tail);
        System.arraycopy(offsets, i + 1, offsets, i, tail);
        System.arraycopy(lengths, i + 1, lengths, i, tail);
        count--;
    }

    private List<Block> takeAll() {
        List<Block> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(new Block(pieces[i], offsets[i], lengths[i]));
        }
        count = 0;
        return all;
    }

    /** The peer's BEP 10 {@code reqq}. */
    void peerQueue(int reqq) {
        lock.lock();
        try {
            peerQueue = Math.max(1, reqq);
        } finally {
            lock.unlock();
        }
    }

    /** The peer's delivery rate, bytes per second, as measured once a second. */
    void measuredRate(double bytesPerSecond) {
        long blocks = (long) Math.ceil(bytesPerSecond * QUEUE_SECONDS / Message.MAX_BLOCK);
        lock.lock();
        try {
            rateRoom = (int) Math.max(MIN, Math.min(MAX, blocks));
        } finally {
            lock.unlock();
        }
    }

    /** How many requests may be in flight now. */
    int limit() {
        lock.lock();
        try {
            return Math.min(Math.min(window, rateRoom), Math.min(peerQueue, MAX));
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    boolean snubbed() {
        lock.lock();
        try {
            return timeouts > 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@value #MAX_TIMEOUTS} timeouts in a row: drop the peer. */
    boolean stalled() {
        lock.lock();
        try {
            return timeouts >= MAX_TIMEOUTS;
        } finally {
            lock.unlock();
        }
    }
}
