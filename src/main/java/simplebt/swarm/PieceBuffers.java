package simplebt.swarm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.storage.PieceChecker;
import simplebt.storage.Storage;
import simplebt.wire.Message;
import simplebt.wire.TorrentShape;

/**
 * Started pieces being put together. Each block is fed into the piece's SHA-1 as it arrives,
 * while it is still in the CPU's cache (blocks that come early wait until the gap before them
 * is filled), so a complete piece is checked without another pass over it. A piece of up to
 * {@code maxBuffered} bytes is assembled in an off-heap buffer and written once, with no copy
 * on the way to the file; a larger one goes to disk block by block (blocks that came early are
 * read back for the hash), so memory stays bounded whatever the piece length: a torrent with
 * 64 MiB pieces used to take 64 MiB per started piece. Buffers and digests are pooled; their
 * number is bounded by the picker's limit on started pieces. Also remembers which connection
 * sent each block, to know whom to blame for a bad hash.
 *
 * <p>{@code lock} guards the maps and the pool; each piece's own lock guards its buffer,
 * digest and block flags (blocks of one piece may come from several readers at once). A
 * streamed piece's disk writes happen under its own lock; nothing else is locked under it.
 */
final class PieceBuffers {
    /** Pieces up to this size are assembled in memory; larger ones are streamed to disk. */
    static final int MAX_BUFFERED_PIECE = 4 << 20;
    /** Started pieces when streaming (each costs a digest and a few flags, not a buffer). */
    static final int STREAMED_STARTED = 8;

    private final ReentrantLock lock = new ReentrantLock();
    private final TorrentShape shape;
    private final Storage storage;
    private final int limit;
    private final boolean streamed;
    private final ArrayDeque<Assembly> free = new ArrayDeque<>();
    /** By piece index (an array: a map would box an Integer per block). */
    private final Assembly[] inUse;
    private int allocated;

    /** One piece in progress. */
    private static final class Assembly {
        final ReentrantLock lock = new ReentrantLock();
        final ByteBuffer buffer;
        final MessageDigest sha1 = PieceChecker.sha1();
        final boolean[] received;
        /**
         * Who sent each block (null = none yet): the peer's identity itself, not its connection,
         * which may be gone by the time the piece is checked (a liar that hangs up is still banned).
         */
        final HashFailures.Sender[] senders;
        byte[] scratch;
        int piece;
        int size;
        /** Blocks in this piece (the last piece may have fewer than the arrays hold). */
        int blocks;
        /** Blocks before this one are in the digest. */
        int hashed;

        Assembly(ByteBuffer buffer, int blocks) {
            this.buffer = buffer;
            this.received = new boolean[blocks];
            this.senders = new HashFailures.Sender[blocks];
        }
    }

    /** How many pieces may be started at once for this piece length and memory budget. */
    static int maxStarted(int pieceLength, long budget) {
        if (pieceLength > MAX_BUFFERED_PIECE) {
            return STREAMED_STARTED;
        }
        return (int) Math.max(4, Math.min(1024, budget / pieceLength));
    }

    PieceBuffers(TorrentShape shape, Storage storage, int limit) {
        this(shape, storage, limit, MAX_BUFFERED_PIECE);
    }

    /** @param maxBuffered pieces longer than this are streamed to disk (tests make it small) */
    PieceBuffers(TorrentShape shape, Storage storage, int limit, int maxBuffered) {
        this.shape = shape;
        this.storage = storage;
        this.limit = limit;
        this.streamed = shape.pieceLength() > maxBuffered;
        this.inUse = new Assembly[shape.pieceCount()];
    }

    /**
     * Takes a block in: into the piece's buffer, or to disk for a streamed piece; then the
     * digest eats every block now contiguous from the piece's start. A block already in is ignored.
     */
    void put(int piece, int offset, byte[] block, int length, HashFailures.Sender sender) throws IOException {
        Assembly a = assembly(piece);
        int b = offset / Message.MAX_BLOCK;
        a.lock.lock();
        try {
            if (a.received[b]) {
                return;
            }
            if (streamed) {
                storage.write(piece, offset, block, 0, length);
            } else {
                a.buffer.put(offset, block, 0, length);
            }
            a.received[b] = true;
            a.senders[b] = sender;
            if (b == a.hashed) {
                a.sha1.update(block, 0, length);
                a.hashed++;
                while (a.hashed < a.blocks && a.received[a.hashed]) {
                    hashStored(a, a.hashed);
                    a.hashed++;
                }
            }
        } finally {
            a.lock.unlock();
        }
    }

    /** Every block is in: does the piece's SHA-1 match? */
    boolean matches(int piece, byte[] expected) {
        Assembly a = existing(piece);
        a.lock.lock();
        try {
            if (a.hashed < a.blocks) {
                throw new IllegalStateException("piece " + piece + " is not complete (" + a.hashed + " blocks hashed)");
            }
            return MessageDigest.isEqual(a.sha1.digest(), expected);
        } finally {
            a.lock.unlock();
        }
    }

    /** Writes an assembled piece to its place (a streamed piece is on disk already). */
    void write(int piece) throws IOException {
        Assembly a = existing(piece);
        if (!streamed) {
            storage.writePiece(piece, a.buffer.slice(0, a.size));
        }
    }

    /** The SHA-1 of each block of a complete piece, for {@link HashFailures}. */
    byte[][] blockDigests(int piece) throws IOException {
        Assembly a = existing(piece);
        a.lock.lock();
        try {
            byte[][] out = new byte[a.blocks][];
            for (int b = 0; b < out.length; b++) {
                a.sha1.reset();
                hashStored(a, b);
                out[b] = a.sha1.digest();
            }
            return out;
        } finally {
            a.lock.unlock();
        }
    }

    /** Who sent each block (index = block, null = nobody); empty if the piece is not started here. */
    HashFailures.Sender[] blockSenders(int piece) {
        lock.lock();
        try {
            Assembly a = inUse[piece];
            return a == null ? new HashFailures.Sender[0] : Arrays.copyOf(a.senders, a.blocks);
        } finally {
            lock.unlock();
        }
    }

    /** Returns the piece's buffer and digest to the pool. */
    void release(int piece) {
        lock.lock();
        try {
            Assembly a = inUse[piece];
            inUse[piece] = null;
            if (a != null) {
                free.push(a);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of piece buffers allocated so far (they are pooled, never freed). */
    long allocatedBytes() {
        lock.lock();
        try {
            return streamed ? 0 : (long) allocated * shape.pieceLength();
        } finally {
            lock.unlock();
        }
    }

    private void hashStored(Assembly a, int b) throws IOException {
        int at = b * Message.MAX_BLOCK;
        int n = Math.min(Message.MAX_BLOCK, a.size - at);
        if (streamed) {
            if (a.scratch == null) {
                a.scratch = new byte[Message.MAX_BLOCK];
            }
            storage.read(a.piece, at, a.scratch, 0, n);
            a.sha1.update(a.scratch, 0, n);
        } else {
            a.sha1.update(a.buffer.slice(at, n));
        }
    }

    private Assembly existing(int piece) {
        lock.lock();
        try {
            Assembly a = inUse[piece];
            if (a == null) {
                throw new IllegalStateException("piece " + piece + " has no buffer");
            }
            return a;
        } finally {
            lock.unlock();
        }
    }

    private Assembly assembly(int piece) {
        lock.lock();
        try {
            Assembly a = inUse[piece];
            if (a == null) {
                a = take();
                a.piece = piece;
                a.size = shape.pieceSize(piece);
                a.hashed = 0;
                a.blocks = shape.blocksIn(piece);
                a.sha1.reset();
                Arrays.fill(a.received, false);
                Arrays.fill(a.senders, null);
                inUse[piece] = a;
            }
            return a;
        } finally {
            lock.unlock();
        }
    }

    private Assembly take() {
        Assembly a = free.poll();
        if (a != null) {
            return a;
        }
        if (allocated >= limit) {
            throw new IllegalStateException("more than " + limit + " pieces in progress");
        }
        allocated++;
        int blocks = (shape.pieceLength() + Message.MAX_BLOCK - 1) / Message.MAX_BLOCK;
        return new Assembly(streamed ? null : Storage.pieceBuffer(shape.pieceLength()), blocks);
    }
}
