package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.magnet.MagnetLink;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.magnet.MagnetResolver;
import simplebt.trackerclient.TrackerStub;
import java.net.InetSocketAddress;

/**
 * BEP 9 on loopback with other clients: metadata served by us (libtorrent starts from a bare
 * magnet link), and fetched by us from aria2 and libtorrent (through a tracker named by tr, or
 * x.pe alone), then the data.
 */
@Timeout(120)
class MagnetIT {
    @TempDir
    Path tmp;

    @Test
    void libtorrentDownloadsByMagnetLinkWithTheMetadataFromUs() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        // several metadata pieces: a multi-file torrent with small pieces has a long info dictionary
        Path content = Interop.content(tmp.resolve("seed"), true, 21);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        // the link names no tracker and no name: everything libtorrent learns comes from our ut_metadata
        String link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(), List.of()).toUri();
        try (TorrentSession us = TorrentSession.start(meta, SessionOptions.of(tmp.resolve("seed"))
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false))) {
            Path out = tmp.resolve("out");
            Files.createDirectories(out);
            try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("magnet", link, out,
                    Interop.freePort(), "127.0.0.1:" + us.port()), tmp)) {
                assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
                assertThat(lt.output()).contains("METADATA");
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    private static SessionOptions local(Path dir) throws Exception {
        return Interop.localOptions(dir);
    }

    private Interop.Proc aria2Seed(Path torrent, Path dataDir, int port) throws Exception {
        return new Interop.Proc(Interop.aria2Seed(torrent, dataDir, port), tmp);
    }

    @Test
    void aria2SeedsWeGetTheMetadataAndDataThroughTheLinksTracker() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed");
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), true, 22);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            MagnetLink link = new MagnetLink(meta.infoHash(), Optional.of("set"), List.of(tracker.announceUrl()), List.of());
            try (Interop.Proc aria2 = aria2Seed(tmp.resolve("t.torrent"), tmp.resolve("seed"), Interop.freePort())) {
                Metainfo got = MagnetResolver.resolve(link, List.of(), 0, Duration.ofSeconds(60));
                assertThat(got.rawInfo()).isEqualTo(meta.rawInfo());
                assertThat(got.trackers()).containsExactly(tracker.announceUrl());
                try (TorrentSession us = TorrentSession.start(got, local(tmp.resolve("out")))) {
                    assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(aria2.output()).isTrue();
                }
            }
            Interop.assertSameContent(content, tmp.resolve("out/set"));
        }
    }

    @Test
    void aria2SeedsNodeDownloadsAMagnetLinkWithOnlyXpe() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed");
        Path content = Interop.content(tmp.resolve("seed"), false, 23);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        String link = new MagnetLink(meta.infoHash(), Optional.of("single.bin"), List.of(),
                List.of(new InetSocketAddress("127.0.0.1", port))).toUri();
        try (Interop.Proc aria2 = aria2Seed(tmp.resolve("t.torrent"), tmp.resolve("seed"), port);
             Interop.Proc node = new Interop.Proc(Interop.node("download", link, "--out", tmp.resolve("out").toString(),
                     "--bind", "127.0.0.1", "--port", "0"), tmp)) {
            assertThat(node.exit(Duration.ofSeconds(120))).as(node.output() + "\naria2:\n" + aria2.output()).isZero();
            assertThat(node.output()).contains("saved torrents/single.bin.torrent (single.bin)", "done: single.bin");
        }
        Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
        assertThat(Metainfo.read(tmp.resolve("torrents/single.bin.torrent")).infoHash()).isEqualTo(meta.infoHash());
    }

    @Test
    void libtorrentSeedsWeGetTheMetadataByXpeAndTheData() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        Path content = Interop.content(tmp.resolve("seed"), true, 24);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        MagnetLink link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(),
                List.of(new InetSocketAddress("127.0.0.1", port)));
        try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("seed", tmp.resolve("t.torrent"), tmp.resolve("seed"), port, null), tmp)) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            Metainfo got = MagnetResolver.resolve(link, List.of(), 0, Duration.ofSeconds(60));
            assertThat(got.infoHash()).isEqualTo(meta.infoHash());
            try (TorrentSession us = TorrentSession.start(got, local(tmp.resolve("out")).withUseTrackers(false)
                    .withPeers(link.peers()))) {
                assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(lt.output()).isTrue();
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }
}
