package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.storage.FileSelection;
import simplebt.swarm.TorrentSession;

/** {@code --only} with aria2 and with libtorrent as the seed: the same checks as {@link SelectiveDownloadIT}. */
@Timeout(120)
class SelectiveInteropIT {
    @TempDir
    Path tmp;

    private void downloadFrom(Metainfo meta, int port, Path out, List<String> globs) throws Exception {
        try (TorrentSession us = TorrentSession.start(meta, Selective.local(out).withUseTrackers(false)
                .withPeers(List.of(new InetSocketAddress("127.0.0.1", port)))
                .withSelection(FileSelection.globs(globs)))) {
            assertThat(us.awaitCompletion(Duration.ofSeconds(90))).isTrue();
            assertThat(us.status().verifiedBytes()).isEqualTo(us.status().totalBytes());
        }
    }

    @Test
    void aria2SeedsWeFetchOneFile() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed: skipping aria2 interop");
        Path source = Selective.content(tmp.resolve("seed"), 31);
        Metainfo meta = Selective.torrent(source, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        Path out = tmp.resolve("out");
        Set<String> chosen = Set.of("docs/d.bin");
        try (Interop.Proc aria2 = new Interop.Proc(Interop.aria2("--seed-ratio=0.0", "--bt-seed-unverified=true",
                "--check-integrity=false", "--listen-port=" + port, "--dir=" + tmp.resolve("seed"),
                tmp.resolve("t.torrent").toString()), tmp)) {
            downloadFrom(meta, port, out, List.of("docs/d.bin"));
        }
        Selective.assertOnly(meta, source, out, chosen);
        Selective.assertPartFile(meta, source, out, chosen);
    }

    @Test
    void libtorrentSeedsWeFetchTwoGlobs() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed: skipping libtorrent interop");
        Path source = Selective.content(tmp.resolve("seed"), 32);
        Metainfo meta = Selective.torrent(source, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        Path out = tmp.resolve("out");
        Set<String> chosen = Set.of("a.bin", "e.dat");
        try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("seed", tmp.resolve("t.torrent"), tmp.resolve("seed"),
                port, null), tmp)) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            downloadFrom(meta, port, out, List.of("a.bin", "*.dat"));
        }
        Selective.assertOnly(meta, source, out, chosen);
        Selective.assertPartFile(meta, source, out, chosen);
        assertThat(Files.exists(out.resolve("proj/empty.txt"))).isFalse();
    }
}
