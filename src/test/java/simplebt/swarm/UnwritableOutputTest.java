package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
import simplebt.testing.Eventually;

/**
 * An output folder that cannot be written (here: its parent is a regular file, which even root
 * cannot get around) fails with a clear error, and nothing is recorded as done.
 */
@Timeout(60)
class UnwritableOutputTest {
    @TempDir
    Path tmp;

    @Test
    void aDownloadIntoAnUnwritableFolderFailsClearly() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        Files.write(seedDir.resolve("f.bin"), SwarmIT.bytes(new Random(2), 6 * 16384));
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seedDir.resolve("f.bin")).pieceLength(16384).build(n -> { }));
        Files.writeString(tmp.resolve("blocker"), "a file, not a folder");
        Path out = tmp.resolve("blocker/out");
        SessionOptions local = SessionOptions.of(seedDir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false);
        try (TorrentSession seeder = TorrentSession.start(meta, local)) {
            assertThatThrownBy(() -> {
                try (TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(out)
                        .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false)
                        .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port()))))) {
                    leecher.awaitCompletion(Duration.ofSeconds(30));
                }
            }).isInstanceOf(IOException.class).satisfies(e -> {
                System.out.println("error shown: " + e.getMessage());
                assertThat(e.getMessage()).isNotBlank().doesNotContain("Exception");
            });
        }
        assertThat(Files.isRegularFile(tmp.resolve("blocker"))).isTrue();
    }

    /** After the failure the session stops fetching: its peers are closed and not dialed again. */
    @Test
    void afterAWriteFailureTheSessionStopsFetching() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        Files.write(seedDir.resolve("f.bin"), SwarmIT.bytes(new Random(3), 6 * 16384));
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seedDir.resolve("f.bin")).pieceLength(16384).build(n -> { }));
        Files.writeString(tmp.resolve("blocker"), "a file, not a folder");
        SessionOptions local = SessionOptions.of(seedDir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false);
        try (TorrentSession seeder = TorrentSession.start(meta, local);
             TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(tmp.resolve("blocker/out"))
                     .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false)
                     .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port()))))) {
            assertThatThrownBy(() -> leecher.awaitCompletion(Duration.ofSeconds(30))).isInstanceOf(IOException.class);
            // blocks already queued on the seeder's side may still go out until both sides have closed
            Eventually.within(Duration.ofSeconds(10), () -> leecher.status().peers() == 0 && seeder.status().peers() == 0);
            long got = leecher.status().downloaded();
            Thread.sleep(3000); // the dialer would retry a --peer within 1-2 s
            assertThat(leecher.status().peers()).as("peers after the failure").isZero();
            assertThat(seeder.status().peers()).as("the seeder's view").isZero();
            assertThat(leecher.status().downloaded()).as("nothing more fetched").isEqualTo(got);
            assertThat(leecher.status().failure()).isPresent();
        }
    }
}
