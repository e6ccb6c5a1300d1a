package simplebt.metainfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * SHA-1 of every piece of the content, on several threads at once (the calling thread is one of
 * them). Each thread takes the next batch of whole pieces, reads it with positional reads into
 * its own direct buffer (at least {@link #MIN_READ} bytes per read, so small pieces do not mean
 * small reads), and hashes the pieces from there: no file is held in memory whole, and nothing
 * is copied but the kernel's copy into that buffer and the digest's own small-chunk copy.
 * <p>
 * Plain threads, not an executor: creating a torrent is the whole program for {@code node create},
 * and a thread pool's classes and its idle hand-offs are start-up time that hashing must wait
 * for. Platform threads because the work is CPU-bound (virtual threads would add nothing).
 * <p>
 * Shared state, all lock-free: {@code next} (the next batch to take), {@code done} (bytes
 * hashed, for progress) and {@code failure} (the first error); each thread writes only its own
 * pieces' 20-byte slots of the result, read by the caller after joining every thread.
 */
final class PieceHasher {
    /** Smallest read: 1 MiB keeps syscalls few; bigger reads gained nothing measurable. */
    static final int MIN_READ = 1 << 20;

    private final ContentScanner.Content content;
    private final int pieceLength;
    private final int pieceCount;
    private final int piecesPerBatch;
    private final byte[] hashes;
    private final List<FileChannel> channels = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong done = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final LongConsumer progress;

    private PieceHasher(ContentScanner.Content content, int pieceLength, LongConsumer progress) {
        this.content = content;
        this.pieceLength = pieceLength;
        this.pieceCount = (int) ((content.totalLength() + pieceLength - 1) / pieceLength);
        this.piecesPerBatch = Math.max(1, MIN_READ / pieceLength);
        this.hashes = new byte[pieceCount * InfoHash.LENGTH];
        this.progress = progress;
    }

    /**
     * The concatenated 20-byte piece hashes; {@code progress} gets bytes hashed so far.
     * {@code meanwhile} runs on the calling thread after the other hashing threads started and
     * before it hashes too; if it throws, hashing stops and that is thrown.
     */
    static byte[] hash(ContentScanner.Content content, int pieceLength, int threads, LongConsumer progress,
            TorrentBuilder.Meanwhile meanwhile) throws IOException, InterruptedException {
        return new PieceHasher(content, pieceLength, progress).run(threads, meanwhile);
    }

    private byte[] run(int threads, TorrentBuilder.Meanwhile meanwhile) throws IOException, InterruptedException {
        try {
            for (ContentScanner.SourceFile f : content.files()) {
                channels.add(FileChannel.open(f.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
            }
            int batches = (pieceCount + piecesPerBatch - 1) / piecesPerBatch;
            List<Thread> helpers = new ArrayList<>();
            for (int t = 1; t < Math.min(threads, batches); t++) {
                Thread helper = new Helper(this, t);
                helper.setDaemon(true); // an interrupted caller must not leave the JVM running
                helper.start();
                helpers.add(helper);
            }
            try {
                meanwhile.run();
                work();
            } catch (IOException | RuntimeException | Error e) {
                failure.compareAndSet(null, e); // the other threads stop at their next batch
                throw e;
            } finally {
                for (Thread helper : helpers) {
                    helper.join();
                }
            }
        } finally {
            for (FileChannel c : channels) {
                c.close();
            }
        }
        // if/instanceof, not a pattern switch: its bootstrap spins classes (~3 ms measured)
        // between the last piece and the written .torrent
        Throwable failed = failure.get();
        if (failed == null) {
            return hashes;
        }
        if (failed instanceof UncheckedIOException e) {
            throw e.getCause();
        }
        throw new IOException("hashing failed: " + failed, failed);
    }

    /** A hashing thread besides the caller; a class rather than a lambda, which costs start-up. */
    private static final class Helper extends Thread {
        private final PieceHasher hasher;

        Helper(PieceHasher hasher, int number) {
            super("hash-".concat(Integer.toString(number))); // no `+`: its first use costs ~3 ms
            this.hasher = hasher;
        }

        @Override
        public void run() {
            hasher.work();
        }
    }

    /** One thread's loop: take batches until none are left or another thread failed. */
    private void work() {
        MessageDigest sha1 = InfoHash.sha1();
        ByteBuffer buffer = ByteBuffer.allocateDirect(piecesPerBatch * pieceLength);
        try {
            for (int batch = next.getAndIncrement(); failure.get() == null; batch = next.getAndIncrement()) {
                int first = batch * piecesPerBatch;
                if (first >= pieceCount) {
                    return;
                }
                hashBatch(sha1, buffer, first, Math.min(pieceCount, first + piecesPerBatch));
            }
        } catch (IOException e) {
            failure.compareAndSet(null, new UncheckedIOException(e));
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }

    private void hashBatch(MessageDigest sha1, ByteBuffer buffer, int first, int end) throws IOException {
        long start = (long) first * pieceLength;
        int size = (int) Math.min((long) (end - first) * pieceLength, content.totalLength() - start);
        buffer.clear().limit(size);
        readRange(start, buffer);
        for (int piece = first; piece < end; piece++) {
            int from = (piece - first) * pieceLength;
            int length = Math.min(pieceLength, size - from);
            // Direct: the file is read straight into it, and the digest takes it in small
            // cache-warm chunks, which also gets its SHA-1 intrinsic JIT-compiled sooner.
            sha1.update(buffer.limit(from + length).position(from));
            try {
                sha1.digest(hashes, piece * InfoHash.LENGTH, InfoHash.LENGTH);
            } catch (DigestException e) {
                throw new IllegalStateException("a SHA-1 digest is 20 bytes", e);
            }
            progress.accept(done.addAndGet(length));
        }
    }

    /** Fills {@code buffer} with the bytes at {@code start} of the concatenated files. */
    private void readRange(long start, ByteBuffer buffer) throws IOException {
        int index = content.fileAt(start);
        long position = start;
        while (buffer.hasRemaining()) {
            ContentScanner.SourceFile f = content.files().get(index);
            long within = position - f.offset();
            if (within >= f.length()) {
                index++;
                continue;
            }
            int before = buffer.position();
            int want = (int) Math.min(buffer.remaining(), f.length() - within);
            ByteBuffer slice = buffer.slice(before, want);
            while (slice.hasRemaining()) {
                if (channels.get(index).read(slice, within + slice.position()) < 0) {
                    throw new IOException(f.path() + " became shorter while hashing");
                }
            }
            buffer.position(before + want);
            position += want;
        }
    }
}
