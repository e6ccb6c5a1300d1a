package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;

/**
 * When every started piece is being written, a connection's pipeline drains and no arriving
 * block will trigger its next requests: whoever completes a piece must refill the others.
 * Here two bare swarms (no session, so no one-second ticker to paper over a missed refill) talk
 * over loopback; the leecher's buffer budget allows only 4 started pieces of 64, so it hits that
 * limit over and over (its verifier is slowed down to a few ms per piece, as a disk under
 * writeback throttling is). Without the verifier's refill the download stalls for good.
 */
@Timeout(60)
class VerifierRefillTest {
    private static final int PIECE = 16384;
    private static final int PIECES = 64;

    @TempDir
    Path tmp;

    @Test
    void aLeecherAtItsStartedPieceLimitResumesRequestingWhenTheVerifierFreesAPiece() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = SwarmIT.bytes(new Random(5), PIECES * PIECE - 100);
        Files.write(seedDir.resolve("f.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seedDir.resolve("f.bin")).pieceLength(PIECE).build(n -> { }));
        Path outDir = tmp.resolve("out");
        CountDownLatch complete = new CountDownLatch(1);
        try (SwarmPair pair = new SwarmPair(meta, seedDir, outDir, 4L * PIECE, events(complete, true))) {
            assertThat(complete.await(30, TimeUnit.SECONDS)).as("download completed without a ticker").isTrue();
        }
        assertThat(Files.readAllBytes(outDir.resolve("f.bin"))).isEqualTo(data);
    }

    /** @param slowDisk the verifier takes a few ms per piece, like a disk under writeback, so the reader runs ahead */
    private static Swarm.Events events(CountDownLatch complete, boolean slowDisk) {
        return new Swarm.Events() {
            @Override
            public void pieceVerified(int piece, boolean torrentComplete) {
                if (slowDisk) {
                    try {
                        Thread.sleep(5);
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
    }
}
