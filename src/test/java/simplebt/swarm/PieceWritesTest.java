package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;

/**
 * A verified piece waits for the disk on its own thread, not on the reader that completed it:
 * the reader goes on receiving meanwhile (a direct write of each piece held the leecher's
 * reader ~0.2 ms, 0.6-0.8 s per GiB; bench/profile/NOTES.md, "Sixth look").
 */
@Timeout(60)
class PieceWritesTest {
    private static final int PIECE = 16384;
    private static final int PIECES = 64;

    @TempDir
    Path tmp;

    @Test
    void theReaderKeepsReceivingWhileAVerifiedPieceWaitsForTheDisk() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = SwarmIT.bytes(new Random(7), PIECES * PIECE - 100);
        Files.write(seedDir.resolve("f.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seedDir.resolve("f.bin")).pieceLength(PIECE).build(n -> { }));
        CountDownLatch disk = new CountDownLatch(1);
        CountDownLatch complete = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        Swarm.Events events = new Swarm.Events() {
            @Override
            public void pieceVerified(int piece, boolean torrentComplete) {
                // The first piece the writer thread stores is held there, as by a slow device. (A
                // piece that completes while it is busy is stored by the reader, as it always was.)
                if (Thread.currentThread().getName().equals("piece-writer") && first.getAndSet(false)) {
                    try {
                        disk.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (torrentComplete) {
                    complete.countDown();
                }
            }

            @Override
            public void fatal(String message) {
            }
        };
        // 8 started pieces: while one waits, the reader may complete 7 more.
        try (SwarmPair pair = new SwarmPair(meta, seedDir, tmp.resolve("out"), 8L * PIECE, events)) {
            boolean received = Eventually.within(Duration.ofSeconds(20), () -> pair.leecher.downloaded() >= 4L * PIECE);
            disk.countDown();
            assertThat(received).as("blocks of 4 pieces arrived while one piece's store was held").isTrue();
            assertThat(complete.await(30, TimeUnit.SECONDS)).as("download completed").isTrue();
        }
        assertThat(Files.readAllBytes(tmp.resolve("out").resolve("f.bin"))).isEqualTo(data);
    }

    @Test
    void oneWriteAtATimeIsHandedOverAndAwaitIdleWaitsForIt() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch storing = new CountDownLatch(1);
        List<Integer> stored = new CopyOnWriteArrayList<>();
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        PieceWrites writes = new PieceWrites(piece -> {
            virtual.add(Thread.currentThread().isVirtual());
            if (piece == 3) {
                storing.countDown();
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            stored.add(piece);
        });
        assertThat(writes.offer(3)).as("handed over; returns while piece 3 is held").isTrue();
        assertThat(storing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(writes.offer(1)).as("busy: the caller writes piece 1 itself").isFalse();
        Thread waiter = Thread.ofVirtual().start(() -> writes.awaitIdle(Duration.ofSeconds(30)));
        assertThat(waiter.isAlive()).as("awaitIdle waits for the write in progress").isTrue();
        held.countDown();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(stored).containsExactly(3);
        assertThat(writes.offer(4)).as("free again").isTrue();
        assertThat(writes.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(stored).containsExactly(3, 4);
        assertThat(virtual).containsOnly(true);
    }
}
