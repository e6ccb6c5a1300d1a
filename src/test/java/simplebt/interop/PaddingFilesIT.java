package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;

/**
 * BEP 47 padding files in a torrent libtorrent made ({@code .pad/N}, attr {@code p}, two of the
 * same size): accepted, downloaded from and served to libtorrent, and never written to disk.
 */
@Timeout(120)
class PaddingFilesIT {
    @TempDir
    Path tmp;
    private Path content;
    private Metainfo meta;

    @BeforeEach
    void paddedTorrent() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        content = Files.createDirectories(tmp.resolve("seed/set"));
        Random r = new Random(47);
        Files.write(content.resolve("a.bin"), Interop.bytes(r, 40_000)); // a and b end 9,152 bytes short of a piece
        Files.write(content.resolve("b.bin"), Interop.bytes(r, 40_000));
        Files.write(content.resolve("c.bin"), Interop.bytes(r, 5_000));
        Process p = new ProcessBuilder("/usr/bin/python3",
                Interop.home().resolve("src/test/resources/interop/lt_make_padded.py").toString(),
                content.toString(), "16384", tmp.resolve("t.torrent").toString()).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("libtorrent made the torrent").isTrue();
        meta = Metainfo.read(tmp.resolve("t.torrent"));
        Map<String, Long> pads = meta.info().files().stream().filter(FileEntry::padding)
                .collect(Collectors.groupingBy(FileEntry::displayPath, Collectors.counting()));
        assertThat(pads).as("libtorrent's padding files").containsEntry(".pad/9152", 2L);
    }

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false);
    }

    @Test
    void libtorrentSeedsWeDownloadAndWriteNoPaddingFiles() throws Exception {
        int port = Interop.freePort();
        try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("seed", tmp.resolve("t.torrent"), tmp.resolve("seed"),
                port, null), tmp)) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("out"))
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", port))))) {
                assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(lt.output()).isTrue();
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
        try (var files = Files.walk(tmp.resolve("out/set"))) {
            assertThat(files.map(f -> tmp.resolve("out/set").relativize(f).toString()).filter(s -> !s.isEmpty()))
                    .containsExactlyInAnyOrder("a.bin", "b.bin", "c.bin");
        }
    }

    @Test
    void weSeedAPaddedTorrentToLibtorrent() throws Exception {
        try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
            assertThat(us.status().complete()).as("padding reads as zeros, so every piece checks out").isTrue();
            try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("leech", tmp.resolve("t.torrent"),
                    Files.createDirectories(tmp.resolve("out")), Interop.freePort(), "127.0.0.1:" + us.port()), tmp)) {
                assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
        assertThat(tmp.resolve("seed/set/.pad")).doesNotExist();
    }
}
