package simplebt.swarm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import simplebt.wire.Message;

/**
 * A piece in progress inside the {@link PiecePicker}: one state per 16 KiB block
 * (FREE -> REQUESTED -> WRITING -> RECEIVED) and who was asked for each. Guarded by the
 * picker's lock.
 */
final class StartedPiece {
    enum BlockState { FREE, REQUESTED, WRITING, RECEIVED }

    private static final int[] NONE = new int[0];
    /** End-game: at most this many peers are asked for one block. */
    static final int MAX_DUPLICATES = 3;

    final int piece;
    private final int size;
    private final BlockState[] state;
    private final int[][] requesters;
    /** When each block was last given out (picker clock), so end-game only doubles up on slow ones. */
    private final long[] requestedAt;
    private int free;
    private int received;
    /**
     * The last one-peer requester list handed out, reused for that peer's next block: requester
     * arrays are never changed in place (a change makes a new one), so blocks may share one.
     * Without it every requested block cost a new int[] (a profile of a 1 GiB download put it
     * at a fifth of the leecher's allocation, and allocation is what grows a G1 leecher's RSS).
     */
    private int[] lastSingle = NONE;

    StartedPiece(int piece, int blocks, int size) {
        this.piece = piece;
        this.size = size;
        this.state = new BlockState[blocks];
        this.requesters = new int[blocks][];
        this.requestedAt = new long[blocks];
        reset();
    }

    void reset() {
        Arrays.fill(state, BlockState.FREE);
        Arrays.fill(requesters, NONE);
        free = state.length;
        received = 0;
    }

    void takeFree(int peerId, int max, List<Block> out, long now) {
        for (int b = 0; b < state.length && free > 0 && out.size() < max; b++) {
            if (state[b] == BlockState.FREE) {
                state[b] = BlockState.REQUESTED;
                requesters[b] = single(peerId);
                requestedAt[b] = now;
                free--;
                out.add(block(b));
            }
        }
    }

    private int[] single(int peerId) {
        if (lastSingle.length != 1 || lastSingle[0] != peerId) {
            lastSingle = new int[] {peerId};
        }
        return lastSingle;
    }

    /** End-game: blocks others were asked for at or before {@code askedBy}, for this peer too. */
    void takeDuplicates(int peerId, int max, List<Block> out, long askedBy) {
        for (int b = 0; b < state.length && out.size() < max; b++) {
            int[] r = requesters[b];
            if (state[b] == BlockState.REQUESTED && r.length < MAX_DUPLICATES && !contains(r, peerId)
                    && requestedAt[b] - askedBy <= 0) {
                int[] more = Arrays.copyOf(r, r.length + 1);
                more[r.length] = peerId;
                requesters[b] = more;
                out.add(block(b));
            }
        }
    }

    /**
     * A block arrived from {@code peerId}: the first arrival is written (the others asked for it
     * in end-game get a cancel); one already being written or received is not wanted.
     */
    PiecePicker.Received claimForWriting(int b, int peerId) {
        if (b >= state.length || state[b] == BlockState.RECEIVED || state[b] == BlockState.WRITING) {
            return PiecePicker.Received.NOT_WANTED;
        }
        List<Integer> cancel = List.of();
        for (int other : requesters[b]) {
            if (other != peerId) {
                if (cancel.isEmpty()) {
                    cancel = new ArrayList<>(2);
                }
                cancel.add(other);
            }
        }
        if (state[b] == BlockState.FREE) {
            free--;
        }
        state[b] = BlockState.WRITING;
        requesters[b] = NONE;
        return cancel.isEmpty() ? PiecePicker.Received.WANTED : new PiecePicker.Received(true, cancel);
    }

    /** The claimed block's bytes are in the buffer; true when that completes the piece. */
    boolean written(int b) {
        if (state[b] != BlockState.WRITING) {
            throw new IllegalStateException("block " + piece + "/" + b * Message.MAX_BLOCK + " was not claimed for writing");
        }
        state[b] = BlockState.RECEIVED;
        received++;
        return received == state.length;
    }

    boolean requestedBy(int peerId) {
        for (int b = 0; b < state.length; b++) {
            if (state[b] == BlockState.REQUESTED && contains(requesters[b], peerId)) {
                return true;
            }
        }
        return false;
    }

    void dropRequester(int b, int peerId) {
        if (b >= state.length || state[b] != BlockState.REQUESTED) {
            return;
        }
        int[] r = requesters[b];
        int[] less = Arrays.stream(r).filter(p -> p != peerId).toArray();
        requesters[b] = less.length == 0 ? NONE : less;
        if (less.length == 0) {
            state[b] = BlockState.FREE;
            free++;
        }
    }

    Block block(int b) {
        int offset = b * Message.MAX_BLOCK;
        return new Block(piece, offset, Math.min(Message.MAX_BLOCK, size - offset));
    }

    void checkInvariants() {
        int f = 0;
        int r = 0;
        for (int b = 0; b < state.length; b++) {
            switch (state[b]) {
                case FREE -> {
                    f++;
                    require(requesters[b].length == 0, "free block " + b + " has requesters");
                }
                case REQUESTED -> require(requesters[b].length > 0, "requested block " + b + " has no requester");
                case WRITING -> require(requesters[b].length == 0, "block being written " + b + " has requesters");
                case RECEIVED -> {
                    r++;
                    require(requesters[b].length == 0, "received block " + b + " has requesters");
                }
            }
        }
        require(f == free && r == received, "piece " + piece + " counts free " + free + "/" + f + ", received " + received + "/" + r);
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
