package simplebt.swarm;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import simplebt.log.Log;
import simplebt.metainfo.Info;
import simplebt.storage.Storage;

/**
 * Takes each wanted block into its piece ({@link PieceBuffers}, which hashes it on arrival);
 * when a piece is complete, checks its SHA-1, writes it and tells the peers; a piece that
 * fails is fetched again and its liar banned ({@link HashFailures}). The check runs on the
 * reader thread that delivered the block: the hash is already done by then (an earlier
 * verifier thread cost a hand-off per piece, a second pass over it and the pieces waiting in
 * its queue; see bench/profile). Only the write waits elsewhere, on {@link PieceWrites}' thread,
 * because a direct write waits for the device and the reader should be reading meanwhile.
 * Its mutable state is the verified-bytes counter (atomic), {@link HashFailures} and
 * {@link PieceWrites} (both locked inside).
 */
final class PieceVerifier {
    private final Info info;
    private final PieceBuffers buffers;
    private final Storage storage;
    private final PiecePicker picker;
    private final PeerRegistry peers;
    private final Swarm.Events events;
    private final HashFailures hashFailures = new HashFailures();
    private final AtomicLong verifiedBytes = new AtomicLong();
    private final PieceWrites writes = new PieceWrites(this::store);

    PieceVerifier(Info info, PieceBuffers buffers, Storage storage, PiecePicker picker, PeerRegistry peers,
                  Swarm.Events events) {
        this.info = info;
        this.buffers = buffers;
        this.storage = storage;
        this.picker = picker;
        this.peers = peers;
        this.events = events;
    }

    /**
     * A block the picker let us keep ({@link PiecePicker#blockReceived}): store it; check the piece if it was the last.
     * @param sender who delivered it (kept for blame)
     */
    void blockArrived(int piece, int offset, byte[] block, int length, HashFailures.Sender sender) {
        try {
            buffers.put(piece, offset, block, length, sender);
        } catch (IOException e) {
            writeFailed(piece, e);
            return;
        }
        if (picker.blockWritten(piece, offset)) {
            complete(piece);
        }
    }

    /** Pieces found good on disk at start. */
    void countResumed(long bytes) {
        verifiedBytes.addAndGet(bytes);
    }

    long verifiedBytes() {
        return verifiedBytes.get();
    }

    /**
     * On the reader that delivered the last block: the hash (done as blocks came), blame for an
     * earlier failure; then the piece waits for the disk on the piece writer's thread when that
     * is free ({@link PieceWrites}), so this reader goes back to its socket at once.
     */
    private void complete(int piece) {
        if (!buffers.matches(piece, info.pieceHash(piece))) {
            hashFailed(piece);
            return;
        }
        for (HashFailures.Sender liar : hashFailures.verified(piece, () -> digests(piece))) {
            if (peers.ban(liar)) {
                Log.warn("a peer sent bad data for piece " + piece + "; banned");
            }
        }
        if (!writes.offer(piece)) {
            store(piece); // the writer thread is busy with the previous piece: this reader waits, as it always did
        }
    }

    /**
     * On the piece writer's thread ({@link PieceWrites}), or on the reader when that one is busy:
     * the verified piece goes to disk, and only then is it ours to offer (a have before the write would let a peer ask for bytes the
     * file does not hold yet).
     */
    private void store(int piece) {
        try {
            buffers.write(piece);
        } catch (IOException e) {
            writeFailed(piece, e);
            return;
        }
        buffers.release(piece);
        picker.pieceVerified(piece);
        verifiedBytes.addAndGet(info.pieceSize(piece));
        for (PeerConnection c : peers.all()) {
            c.sendHave(piece);
            // The piece's slot in the picker is free again: a connection whose pipeline drained
            // at the started-piece limit has no block arriving to trigger its refill, so without
            // this it idled until the ticker's next second.
            c.refillQueued();
        }
        events.pieceVerified(piece, picker.isComplete());
    }

    /**
     * Waits, at most {@code limit}, until every verified piece handed to the piece writer is on
     * disk (before the files close); false if one was still being written.
     */
    boolean awaitWrites(Duration limit) {
        return writes.awaitIdle(limit);
    }

    private void writeFailed(int piece, IOException e) {
        buffers.release(piece);
        picker.pieceFailed(piece);
        events.fatal("cannot write to " + storage.root() + ": " + (e.getMessage() == null ? e : e.getMessage()));
    }

    private byte[][] digests(int piece) {
        try {
            return buffers.blockDigests(piece);
        } catch (IOException e) {
            Log.debug("cannot read piece " + piece + " back to find who sent bad blocks: " + e);
            return new byte[0][];
        }
    }

    /**
     * A piece failed its hash: it is discarded and fetched again. If one peer sent all of it, that
     * peer lied and is banned now; if several did, {@link HashFailures} finds the liar once the
     * piece verifies, so honest peers that contributed blocks are not banned with it.
     */
    private void hashFailed(int piece) {
        HashFailures.Sender[] senders = buffers.blockSenders(piece);
        Set<HashFailures.Sender> distinct = new HashSet<>();
        Arrays.stream(senders).filter(Objects::nonNull).forEach(distinct::add);
        hashFailures.failed(piece, digests(piece), senders);
        buffers.release(piece);
        picker.pieceFailed(piece);
        if (distinct.size() == 1) {
            Log.warn("piece " + piece + " failed its hash check; banning the peer that sent it");
            peers.ban(distinct.iterator().next());
        } else {
            Log.warn("piece " + piece + " failed its hash check; " + distinct.size()
                    + " peers sent blocks, the liar is found when it verifies");
        }
    }
}
