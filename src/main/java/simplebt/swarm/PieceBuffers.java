package simplebt.swarm;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.wire.Message;

/**
 * Whole pieces assembled in memory, so a piece is hashed once and written once, never read
 * back. Buffers are pooled; their number is bounded by the picker's limit on started pieces,
 * which keeps the leecher's memory flat whatever the torrent's size. Also remembers which peers
 * sent blocks of each piece, to know whom to blame for a bad hash.
 */
final class PieceBuffers {
    private final ReentrantLock lock = new ReentrantLock();
    private final int pieceLength;
    private final int limit;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private final Map<Integer, byte[]> inUse = new HashMap<>();
    /**
     * Per piece, who sent each block (null = none yet), for hash-failure attribution: the peer's
     * identity itself, not its connection, which may be gone by the time the piece is checked.
     */
    private final Map<Integer, HashFailures.Sender[]> senders = new HashMap<>();
    private int allocated;

    PieceBuffers(int pieceLength, int limit) {
        this.pieceLength = pieceLength;
        this.limit = limit;
    }

    /** Copies a block in; blocks of one piece never overlap, so copies need no lock. */
    void put(int piece, int offset, byte[] block, int length, HashFailures.Sender sender) {
        byte[] buffer;
        lock.lock();
        try {
            buffer = inUse.get(piece);
            if (buffer == null) {
                buffer = take();
                inUse.put(piece, buffer);
            }
            senders.computeIfAbsent(piece, k -> new HashFailures.Sender[(pieceLength + Message.MAX_BLOCK - 1) / Message.MAX_BLOCK])
                    [offset / Message.MAX_BLOCK] = sender;
        } finally {
            lock.unlock();
        }
        System.arraycopy(block, 0, buffer, offset, length);
    }

    byte[] get(int piece) {
        lock.lock();
        try {
            return inUse.get(piece);
        } finally {
            lock.unlock();
        }
    }

    /** Who sent each block of the piece (index = block, null = nobody); empty if the piece has no buffer. */
    HashFailures.Sender[] blockSenders(int piece) {
        lock.lock();
        try {
            HashFailures.Sender[] who = senders.get(piece);
            return who == null ? new HashFailures.Sender[0] : who.clone();
        } finally {
            lock.unlock();
        }
    }

    /** Returns the piece's buffer to the pool and forgets who sent its blocks. */
    void release(int piece) {
        lock.lock();
        try {
            byte[] buffer = inUse.remove(piece);
            if (buffer != null) {
                free.push(buffer);
            }
            senders.remove(piece);
        } finally {
            lock.unlock();
        }
    }

    int allocated() {
        lock.lock();
        try {
            return allocated;
        } finally {
            lock.unlock();
        }
    }

    private byte[] take() {
        byte[] b = free.poll();
        if (b != null) {
            return b;
        }
        if (allocated >= limit) {
            throw new IllegalStateException("more than " + limit + " pieces in progress");
        }
        allocated++;
        return new byte[pieceLength];
    }
}
