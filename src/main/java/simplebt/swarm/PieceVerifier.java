package simplebt.swarm;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import simplebt.log.Log;
import simplebt.metainfo.Info;
import simplebt.storage.PieceChecker;
import simplebt.storage.Storage;

/**
 * Checks each assembled piece against its SHA-1, writes it, and tells the peers; a piece that
 * fails is fetched again and its liar banned ({@link HashFailures}). Runs on one thread of its
 * own, so a connection's reader goes straight back to its socket when a piece is complete; the
 * piece's buffer stays reserved (the piece stays started in the picker) until it is written,
 * so memory stays bounded. The only mutable state is the thread's digest and the counter.
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
    /** Owned by the verifier thread. */
    private final MessageDigest sha1 = PieceChecker.sha1();
    private final ExecutorService thread;

    PieceVerifier(Info info, PieceBuffers buffers, Storage storage, PiecePicker picker, PeerRegistry peers,
                  Swarm.Events events) {
        this.info = info;
        this.buffers = buffers;
        this.storage = storage;
        this.picker = picker;
        this.peers = peers;
        this.events = events;
        // One thread: SHA-1 runs at over 1 GB/s, and two writers to one file only contend for its inode lock.
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("piece-verifier").daemon().factory());
    }

    /** All blocks of the piece are in its buffer: check and write it on the verifier thread. */
    void submit(int piece) {
        try {
            thread.execute(() -> verifyAndWrite(piece));
        } catch (RejectedExecutionException e) {
            buffers.release(piece); // shutting down: the piece is simply not done
        }
    }

    /** Pieces found good on disk at start. */
    void countResumed(long bytes) {
        verifiedBytes.addAndGet(bytes);
    }

    long verifiedBytes() {
        return verifiedBytes.get();
    }

    /** Lets queued pieces finish writing, then stops the thread. */
    void shutdown() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void verifyAndWrite(int piece) {
        byte[] buffer = buffers.get(piece);
        int size = info.pieceSize(piece);
        if (!PieceChecker.matches(info, piece, buffer, size, sha1)) {
            hashFailed(piece, buffer, size);
            return;
        }
        for (HashFailures.Sender liar : hashFailures.verified(piece, buffer, size)) {
            if (peers.ban(liar)) {
                Log.warn("a peer sent bad data for piece " + piece + "; banned");
            }
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
        for (PeerConnection c : peers.all()) {
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
        HashFailures.Sender[] senders = buffers.blockSenders(piece);
        Set<HashFailures.Sender> distinct = new HashSet<>();
        Arrays.stream(senders).filter(Objects::nonNull).forEach(distinct::add);
        hashFailures.failed(piece, buffer, size, senders);
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
