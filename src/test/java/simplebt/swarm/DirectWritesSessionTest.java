package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;

/**
 * {@code --direct-writes} reaches the disk: a session told off writes every piece through the
 * page cache, one told on writes the whole pieces around it, and the files are the same bytes.
 */
@Timeout(60)
class DirectWritesSessionTest {
    private static final int PIECE = 64 << 10;

    @TempDir
    Path tmp;

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false);
    }

    /** Downloads 10 whole pieces and a short last one from a local seeder; the leecher's count of direct pieces. */
    private long download(boolean directWrites, byte[] data, Metainfo meta, Path out) throws Exception {
        try (TorrentSession seeder = TorrentSession.start(meta, local(tmp.resolve("seed")));
             TorrentSession leecher = TorrentSession.start(meta, local(out).withDirectWrites(directWrites)
                     .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port()))))) {
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(40))).isTrue();
            assertThat(Files.readAllBytes(out.resolve("f.bin"))).isEqualTo(data);
            return leecher.storage().piecesWrittenDirect();
        }
    }

    @Test
    void offWritesThroughThePageCacheAndOnAroundIt() throws Exception {
        byte[] data = new byte[10 * PIECE + 1234];
        new Random(21).nextBytes(data);
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        Files.write(seed.resolve("f.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seed.resolve("f.bin")).pieceLength(PIECE).build(n -> { }));

        assertThat(download(false, data, meta, tmp.resolve("off"))).as("pieces written around the page cache, off").isZero();
        // this file system takes O_DIRECT (DirectWritesTest), so every whole piece goes that way
        assertThat(download(true, data, meta, tmp.resolve("on"))).as("on").isEqualTo(10);
    }
}
