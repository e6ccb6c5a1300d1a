package simplebt.swarm;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import simplebt.storage.PieceChecker;
import simplebt.wire.Message;

/**
 * Whom to blame for a piece that failed its hash when several peers sent its blocks. Blaming all
 * of them would ban honest peers with the liar; instead we keep a SHA-1 of every block of the
 * failed attempt and who sent it, and once the piece verifies, the senders of blocks that differ
 * from the good data are the liars. Memory is 20 bytes per block, for a bounded number of pieces.
 */
final class HashFailures {
    /** Enough to remember every failure a liar causes before it is caught; older ones are dropped. */
    static final int MAX_ATTEMPTS = 1024;

    /**
     * Who sent a block: its peer id ({@link #key(byte[])}) and IP address, taken when the block
     * arrived, so it can be banned even if its connection is gone by the time the piece is checked.
     */
    record Sender(String key, InetAddress address) {
    }

    /** How a peer id is remembered in ban lists. */
    static String key(byte[] peerId) {
        return java.util.HexFormat.of().formatHex(peerId);
    }

    private record Attempt(byte[][] digests, Sender[] senders) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, List<Attempt>> failed = new HashMap<>();
    private int attempts;

    /** Remembers a failed piece: {@code senders[b]} sent block b (null if unknown). */
    void failed(int piece, byte[] data, int size, Sender[] senders) {
        failed(piece, blockDigests(data, size), senders);
    }

    /** As above, with the SHA-1 of each block of the failed attempt already computed. */
    void failed(int piece, byte[][] digests, Sender[] senders) {
        Attempt a = new Attempt(digests, senders.clone());
        lock.lock();
        try {
            if (attempts >= MAX_ATTEMPTS) {
                failed.clear(); // a pathological swarm; forget rather than grow without bound
                attempts = 0;
            }
            failed.computeIfAbsent(piece, k -> new ArrayList<>()).add(a);
            attempts++;
        } finally {
            lock.unlock();
        }
    }

    /** The piece verified with {@code data}: the senders of blocks that differed in earlier attempts. */
    List<Sender> verified(int piece, byte[] data, int size) {
        return verified(piece, () -> blockDigests(data, size));
    }

    /** As above; {@code digests} gives the good blocks' SHA-1s, asked only if the piece failed before. */
    List<Sender> verified(int piece, Supplier<byte[][]> digests) {
        List<Attempt> earlier;
        lock.lock();
        try {
            earlier = failed.remove(piece);
            if (earlier != null) {
                attempts -= earlier.size();
            }
        } finally {
            lock.unlock();
        }
        if (earlier == null) {
            return List.of();
        }
        byte[][] good = digests.get();
        Set<String> seen = new LinkedHashSet<>();
        List<Sender> liars = new ArrayList<>();
        for (Attempt a : earlier) {
            for (int b = 0; b < good.length && b < a.senders().length; b++) {
                Sender s = a.senders()[b];
                if (s != null && !Arrays.equals(good[b], a.digests()[b]) && seen.add(s.key())) {
                    liars.add(s);
                }
            }
        }
        return liars;
    }

    static byte[][] blockDigests(byte[] data, int size) {
        MessageDigest sha1 = PieceChecker.sha1();
        int blocks = (size + Message.MAX_BLOCK - 1) / Message.MAX_BLOCK;
        byte[][] out = new byte[blocks][];
        for (int b = 0; b < blocks; b++) {
            int at = b * Message.MAX_BLOCK;
            sha1.update(data, at, Math.min(Message.MAX_BLOCK, size - at));
            out[b] = sha1.digest();
        }
        return out;
    }
}
