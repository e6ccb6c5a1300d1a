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
 * Issue 14: huge piece lengths allocated a whole piece per started piece (at least four of
 * them: 256 MiB pieces took a gigabyte). A torrent of 64 MiB pieces now downloads within the
 * 32 MiB buffer budget, since such pieces are streamed to disk, and arrives intact.
 */
@Timeout(120)
class HugePieceTest {
    private static final int PIECE = 64 << 20;

    @TempDir
    Path tmp;

    @Test
    void sixtyFourMiBPiecesDownloadWithinTheBufferBudget() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = SwarmIT.bytes(new Random(64), PIECE + 70_000);
        Files.write(seedDir.resolve("f.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seedDir.resolve("f.bin")).pieceLength(PIECE).build(n -> { }));
        Path outDir = tmp.resolve("out");
        CountDownLatch complete = new CountDownLatch(1);
        try (SwarmPair pair = new SwarmPair(meta, seedDir, outDir, Swarm.BUFFER_BUDGET, SwarmPair.events(complete))) {
            assertThat(complete.await(90, TimeUnit.SECONDS)).as("download completed").isTrue();
            assertThat(pair.leecher.buffers().allocatedBytes()).as("piece buffers").isLessThanOrEqualTo(Swarm.BUFFER_BUDGET);
        }
        assertThat(Files.readAllBytes(outDir.resolve("f.bin"))).isEqualTo(data);
    }
}
