package simplebt.swarm;

import java.io.IOException;
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
 * fails is fetched again and its liar banned ({@link HashFailures}). Runs on the reader thread
 * that delivered the block: the hash is already done by then, and one write of a piece is
 * cheaper than handing it to another thread (that hand-off, a second pass over the piece for
 * the hash and the pieces waiting in its queue cost CPU and memory; see bench/profile).
 * Its mutable state is the verified-bytes counter (atomic) and {@link HashFailures} (locked inside).
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
     * @param by the connection whose reader delivered it; {@code sender} who that peer is (kept for blame)
     */
    void blockArrived(int piece, int offset, byte[] block, int length, int by, HashFailures.Sender sender) {
        try {
            buffers.put(piece, offset, block, length, sender);
        } catch (IOException e) {
            writeFailed(piece, e);
            return;
        }
        if (picker.blockWritten(piece, offset)) {
            complete(piece, by);
        }
    }

    /** Pieces found good on disk at start. */
    void countResumed(long bytes) {
        verifiedBytes.addAndGet(bytes);
    }

    long verifiedBytes() {
        return verifiedBytes.get();
    }

    /** @param by the connection whose reader runs this: it writes its own have (no thread hand-off) */
    private void complete(int piece, int by) {
        if (!buffers.matches(piece, info.pieceHash(piece))) {
            hashFailed(piece);
            return;
        }
        for (HashFailures.Sender liar : hashFailures.verified(piece, () -> digests(piece))) {
            if (peers.ban(liar)) {
                Log.warn("a peer sent bad data for piece " + piece + "; banned");
            }
        }
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
            if (c.id() == by) {
                c.sendHaveNow(piece);
            } else {
                c.sendHave(piece);
            }
            // The piece's slot in the picker is free again: a connection whose pipeline drained
            // at the started-piece limit has no block arriving to trigger its refill, so without
            // this it idled until the ticker's next second.
            c.refillQueued();
        }
        events.pieceVerified(piece, picker.isComplete());
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
