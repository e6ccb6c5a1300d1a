package simplebt.swarm;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pieces one peer has, as its bitfield and have messages said, kept in step with the
 * picker's availability counts. Its lock guards the bitfield; the picker's lock is taken under
 * it (the picker counts a piece once per peer, so the two must change together).
 */
final class PeerPieces {
    private final ReentrantLock lock = new ReentrantLock();
    private final PiecePicker picker;
    private final Bitfield has;

    PeerPieces(PiecePicker picker, int pieceCount) {
        this.picker = picker;
        this.has = new Bitfield(pieceCount);
    }

    int size() {
        return has.size();
    }

    /** BEP 3 have. */
    void add(int piece) {
        lock.lock();
        try {
            if (has.set(piece)) {
                picker.peerHas(piece);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * BEP 3 allows the bitfield only first, but aria2 may send it again later; a repeat is
     * merged (bits are never taken away), which keeps the picker's availability counts exact.
     */
    void addAll(Bitfield bits) {
        lock.lock();
        try {
            for (int i = bits.nextSet(0); i >= 0; i = bits.nextSet(i + 1)) {
                if (has.set(i)) {
                    picker.peerHas(i);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Blocks to request from this peer (see {@link PiecePicker#pick(int, Bitfield, int, int)}). */
    List<Block> pick(int peerId, int max, int maxPieces) {
        lock.lock();
        try {
            return picker.pick(peerId, has, max, maxPieces);
        } finally {
            lock.unlock();
        }
    }

    /** The peer has a piece we lack. */
    boolean wanted() {
        lock.lock();
        try {
            return picker.wantsAnyOf(has);
        } finally {
            lock.unlock();
        }
    }

    boolean isComplete() {
        lock.lock();
        try {
            return has.isComplete();
        } finally {
            lock.unlock();
        }
    }

    /** The peer left: its pieces no longer count, its requests go back to the picker. */
    void gone(int peerId, List<Block> outstanding) {
        lock.lock();
        try {
            picker.peerGone(peerId, has, outstanding);
        } finally {
            lock.unlock();
        }
    }
}
