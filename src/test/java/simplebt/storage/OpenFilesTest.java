package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;

/**
 * A torrent of 10,000 files must not hold 10,000 descriptors: with a cap of 16, eight threads
 * writing and reading every piece keep the process's descriptor count (/proc/self/fd) bounded, and
 * every byte still lands in the right file.
 */
@Timeout(120)
class OpenFilesTest {
    private static final int FILES = 10_000;
    private static final int FILE_SIZE = 1_000;
    private static final int PIECE = 16_384;
    private static final int CAP = 16;
    private static final int THREADS = 8;

    @TempDir
    Path tmp;

    static int descriptors() {
        String[] fds = Path.of("/proc/self/fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void tenThousandFilesWithACapOf16KeepDescriptorsBounded() throws Exception {
        List<FileEntry> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            files.add(new FileEntry(List.of("d" + i / 100, "f" + i), FILE_SIZE, (long) i * FILE_SIZE));
        }
        long total = (long) FILES * FILE_SIZE;
        int pieces = (int) Math.ceilDiv(total, PIECE);
        Info info = new Info("many", PIECE, new byte[pieces * 20], files, true, false);
        byte[] all = StorageTest.random(new Random(10), (int) total);

        int before = descriptors();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger peakPool = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                peak.accumulateAndGet(descriptors(), Math::max);
                try {
                    Thread.sleep(1); // on purpose: the sampling pace
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Storage storage = new Storage(tmp.resolve("out"), info, CAP)) {
            List<Future<?>> work = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < THREADS; t++) {
                work.add(pool.submit(() -> {
                    byte[] back = new byte[PIECE];
                    for (int p = next.getAndIncrement(); p < pieces; p = next.getAndIncrement()) {
                        int size = info.pieceSize(p);
                        storage.writePiece(p, Arrays.copyOfRange(all, p * PIECE, p * PIECE + size), size);
                        storage.read(p, 0, back, 0, size);
                        assertThat(Arrays.equals(back, 0, size, all, p * PIECE, p * PIECE + size)).as("piece " + p).isTrue();
                        peakPool.accumulateAndGet(storage.openFiles(), Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            storage.sync();
        } finally {
            running.set(false);
            sampler.join();
            pool.shutdownNow();
        }
        int grew = peak.get() - before;
        System.out.println("10,000 files, cap " + CAP + ": descriptors " + before + " -> peak " + peak.get()
                + " (+" + grew + "); pool peak " + peakPool.get() + " channels; after close " + descriptors());
        assertThat(peakPool.get()).isLessThanOrEqualTo(CAP + THREADS);
        assertThat(grew).as("descriptors opened at the peak").isLessThanOrEqualTo(CAP + THREADS + 8);
        assertThat(descriptors()).as("all closed").isLessThanOrEqualTo(before + 2);
        for (int i : new int[] {0, 1, 4_999, FILES - 1}) {
            assertThat(Files.readAllBytes(tmp.resolve("out/many/d" + i / 100 + "/f" + i)))
                    .isEqualTo(Arrays.copyOfRange(all, i * FILE_SIZE, (i + 1) * FILE_SIZE));
        }
    }
}
