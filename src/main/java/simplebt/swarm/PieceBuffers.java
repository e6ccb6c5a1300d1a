package simplebt.swarm;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

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
    private final Map<Integer, Set<Integer>> senders = new HashMap<>();
    private int allocated;

    PieceBuffers(int pieceLength, int limit) {
        this.pieceLength = pieceLength;
        this.limit = limit;
    }

    /** Copies a block in; blocks of one piece never overlap, so copies need no lock. */
    void put(int piece, int offset, byte[] block, int length, int peerId) {
        byte[] buffer;
        lock.lock();
        try {
            buffer = inUse.get(piece);
            if (buffer == null) {
                buffer = take();
                inUse.put(piece, buffer);
            }
            senders.computeIfAbsent(piece, k -> new HashSet<>()).add(peerId);
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

    /** Returns the piece's buffer to the pool and says who sent its blocks. */
    Set<Integer> release(int piece) {
        lock.lock();
        try {
            byte[] buffer = inUse.remove(piece);
            if (buffer != null) {
                free.push(buffer);
            }
            Set<Integer> who = senders.remove(piece);
            return who == null ? Set.of() : who;
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
