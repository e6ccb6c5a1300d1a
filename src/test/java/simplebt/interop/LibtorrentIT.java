package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.testing.Eventually;
import simplebt.trackerclient.TrackerStub;

/** libtorrent (python3-libtorrent, TCP only) and our engine on loopback, both directions. */
@Timeout(120)
class LibtorrentIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void needsLibtorrent() {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed: skipping libtorrent interop");
    }

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0);
    }

    private Interop.Proc lt(String mode, Metainfo unused, Path save, int port, String peer) throws Exception {
        Files.createDirectories(save);
        return new Interop.Proc(Interop.libtorrent(mode, tmp.resolve("t.torrent"), save, port, peer), tmp);
    }

    @Test
    void libtorrentSeedsWeDownloadMultiFileByDirectPeer() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), true, 11);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        try (Interop.Proc lt = lt("seed", meta, tmp.resolve("seed"), port, null)) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("out")).withUseTrackers(false)
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", port))))) {
                assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(lt.output()).isTrue();
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    @Test
    void libtorrentSeedsWeDownloadSingleFileThroughTheTracker() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), false, 12);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            try (Interop.Proc lt = lt("seed", meta, tmp.resolve("seed"), Interop.freePort(), null)) {
                lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
                try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("out")))) {
                    assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(lt.output()).isTrue();
                }
            }
            Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
        }
    }

    @Test
    void weSeedLibtorrentDownloadsMultiFileByDirectPeer() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), true, 13);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")).withUseTrackers(false))) {
            assertThat(us.status().complete()).isTrue();
            try (Interop.Proc lt = lt("leech", meta, tmp.resolve("out"), Interop.freePort(), "127.0.0.1:" + us.port())) {
                assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    @Test
    void weSeedLibtorrentDownloadsSingleFileThroughTheTracker() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), false, 14);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
                assertThat(Eventually.within(Duration.ofSeconds(30), () -> !tracker.seen().isEmpty()))
                        .as("announced to the tracker").isTrue();
                try (Interop.Proc lt = lt("leech", meta, tmp.resolve("out"), Interop.freePort(), null)) {
                    assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
                }
            }
            Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
        }
    }
}
