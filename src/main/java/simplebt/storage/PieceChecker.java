package simplebt.storage;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import simplebt.metainfo.Info;

/**
 * Hashes the data already on disk to find which pieces are good. Pieces whose files are
 * missing or too short are skipped without reading; the rest are hashed on a few threads (the
 * work is CPU-bound SHA-1), each with its own buffer.
 */
public final class PieceChecker {
    private PieceChecker() {
    }

    public static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    public static boolean matches(Info info, int piece, byte[] data, int length, MessageDigest sha1) {
        sha1.reset();
        sha1.update(data, 0, length);
        return MessageDigest.isEqual(sha1.digest(), info.pieceHash(piece));
    }

    /** @param progress receives the number of bytes looked at so far */
    public static BitSet check(Storage storage, LongConsumer progress) throws IOException, InterruptedException {
        Info info = storage.info();
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        BitSet good = new BitSet(info.pieceCount());
        AtomicInteger next = new AtomicInteger();
        AtomicLong seen = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "piece-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<BitSet>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                parts.add(pool.submit(() -> {
                    BitSet mine = new BitSet();
                    byte[] buffer = new byte[info.pieceLength()];
                    MessageDigest sha1 = sha1();
                    for (int p = next.getAndIncrement(); p < info.pieceCount(); p = next.getAndIncrement()) {
                        int size = info.pieceSize(p);
                        if (storage.present(p)) {
                            storage.read(p, 0, buffer, 0, size);
                            if (matches(info, p, buffer, size, sha1)) {
                                mine.set(p);
                            }
                        }
                        progress.accept(seen.addAndGet(size));
                    }
                    return mine;
                }));
            }
            for (Future<BitSet> f : parts) {
                good.or(f.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("checking data failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return good;
    }

}
