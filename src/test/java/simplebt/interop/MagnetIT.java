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
import simplebt.testing.Eventually;
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
            assertLibtorrentDownloads(link, "127.0.0.1:" + us.port());
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    /** The link names our node in x.pe (and nothing else): libtorrent dials it and gets the metadata and data from us. */
    @Test
    void libtorrentDownloadsByMagnetLinkWithXpeNamingUs() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        Path content = Interop.content(tmp.resolve("seed"), true, 28);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        try (TorrentSession us = TorrentSession.start(meta, SessionOptions.of(tmp.resolve("seed"))
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false))) {
            String link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(),
                    List.of(new InetSocketAddress("127.0.0.1", us.port()))).toUri();
            assertLibtorrentDownloads(link, null);
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
    void aria2SeedsNodeDownloadsAMagnetLinkWithOnlyATracker() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed");
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), true, 22);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            String link = new MagnetLink(meta.infoHash(), Optional.of("set"), List.of(tracker.announceUrl()), List.of()).toUri();
            try (Interop.Proc aria2 = aria2Seed(tmp.resolve("t.torrent"), tmp.resolve("seed"), Interop.freePort())) {
                awaitAnnounced(tracker, meta);
                assertNodeDownloads(link, "set", aria2);
            }
            Interop.assertSameContent(content, tmp.resolve("out/set"));
            Metainfo saved = Metainfo.read(tmp.resolve("torrents/set.torrent"));
            assertThat(saved.rawInfo()).isEqualTo(meta.rawInfo());
            assertThat(saved.trackers()).containsExactly(tracker.announceUrl());
        }
    }

    @Test
    void libtorrentSeedsNodeDownloadsAMagnetLinkWithOnlyATracker() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), true, 25);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            String link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(tracker.announceUrl()), List.of()).toUri();
            try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("seed", tmp.resolve("t.torrent"), tmp.resolve("seed"),
                    Interop.freePort(), null), tmp)) {
                lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
                awaitAnnounced(tracker, meta);
                assertNodeDownloads(link, "set", lt);
            }
            Interop.assertSameContent(content, tmp.resolve("out/set"));
        }
    }

    /**
     * libtorrent starts from a link with only our tracker in it: it finds our seeding node there
     * and gets the metadata from it (ut_metadata served by us), then the data.
     */
    @Test
    void libtorrentDownloadsByMagnetLinkThroughATrackerWithTheMetadataFromUs() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), true, 26);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            String link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(tracker.announceUrl()), List.of()).toUri();
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
                awaitAnnounced(tracker, meta);
                assertLibtorrentDownloads(link, null);
            }
            Interop.assertSameContent(content, tmp.resolve("out/set"));
        }
    }

    /**
     * With {@code --port 0} the metadata fetch used to announce port 1 (it had no port yet): the
     * tracker then handed others an address where nobody listens. Now the node opens its port
     * first, and every announce of ours, the fetch's and the torrent's, names the port it prints.
     */
    @Test
    void withPortZeroTheFetchAnnouncesThePortTheNodeListensOn() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), false, 27);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            String link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(tracker.announceUrl()), List.of()).toUri();
            try (TorrentSession seed = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
                awaitAnnounced(tracker, meta);
                try (Interop.Proc node = new Interop.Proc(Interop.node("download", link, "--out", tmp.resolve("out").toString(),
                        "--bind", "127.0.0.1", "--port", "0", "--no-dht"), tmp)) {
                    assertThat(node.exit(Duration.ofSeconds(100))).as(node.output()).isZero();
                    java.util.regex.Matcher listening = java.util.regex.Pattern.compile("listening on port (\\d+)")
                            .matcher(node.output());
                    assertThat(listening.find()).as(node.output()).isTrue();
                    int port = Integer.parseInt(listening.group(1));
                    List<TrackerStub.Seen> ours = tracker.seen().stream().filter(x -> x.port() != seed.port()).toList();
                    // the fetch's announces (left 1, before the metadata) and the session's: all with the real port
                    assertThat(ours).as(node.output()).anySatisfy(x -> assertThat(x.left()).isEqualTo(1));
                    assertThat(ours).allSatisfy(x -> assertThat(x.port()).isEqualTo(port));
                }
            }
            Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
        }
    }

    /** libtorrent started from {@code link} (and told of {@code peer}, if not null) gets the metadata, then everything, into out/. */
    private void assertLibtorrentDownloads(String link, String peer) throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("magnet", link, out, Interop.freePort(), peer), tmp)) {
            assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
            assertThat(lt.output()).contains("METADATA");
        }
    }

    /** `node download LINK` in the test's folder (it saves torrents/NAME.torrent there): exits 0, says done. */
    private void assertNodeDownloads(String link, String name, Interop.Proc seeder) throws Exception {
        try (Interop.Proc node = new Interop.Proc(Interop.node("download", link, "--out", tmp.resolve("out").toString(),
                "--bind", "127.0.0.1", "--port", "0", "--no-dht"), tmp)) {
            assertThat(node.exit(Duration.ofSeconds(100))).as(node.output() + "\nseeder:\n" + seeder.output()).isZero();
            assertThat(node.output()).contains("saved torrents/" + name + ".torrent", "done: " + name);
        }
    }

    /** The seeder is listed: the tracker saw an announce for the torrent. */
    private static void awaitAnnounced(TrackerStub tracker, Metainfo meta) throws InterruptedException {
        if (!Eventually.within(Duration.ofSeconds(30), () -> tracker.seen().stream().anyMatch(s -> s.infoHashHex().equals(meta.infoHash().hex())))) {
            throw new AssertionError("the seeder never announced to the tracker");
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
