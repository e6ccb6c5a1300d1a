package simplebt.swarm;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
    /** Per piece, the connection id that sent each block (0 = none yet), for hash-failure attribution. */
    private final Map<Integer, int[]> senders = new HashMap<>();
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
            senders.computeIfAbsent(piece, k -> new int[(pieceLength + Message.MAX_BLOCK - 1) / Message.MAX_BLOCK])
                    [offset / Message.MAX_BLOCK] = peerId;
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

    /** Who sent each block of the piece (index = block, 0 = nobody); empty if the piece has no buffer. */
    int[] blockSenders(int piece) {
        lock.lock();
        try {
            int[] who = senders.get(piece);
            return who == null ? new int[0] : who.clone();
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
            int[] who = senders.remove(piece);
            Set<Integer> ids = new HashSet<>();
            if (who != null) {
                for (int id : who) {
                    if (id != 0) {
                        ids.add(id);
                    }
                }
            }
            return ids;
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
