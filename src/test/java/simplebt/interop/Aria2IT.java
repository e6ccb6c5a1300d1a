package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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

/** aria2 and our engine on loopback, both directions, by direct peer and through a tracker. */
@Timeout(120)
class Aria2IT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void needsAria2() {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed: skipping aria2 interop");
    }

    private static SessionOptions local(Path dir) throws Exception {
        return Interop.localOptions(dir);
    }

    private Interop.Proc aria2Seed(Path torrent, Path dataDir, int port) throws Exception {
        return new Interop.Proc(Interop.aria2Seed(torrent, dataDir, port), tmp);
    }

    @Test
    void aria2SeedsWeDownloadMultiFileByDirectPeer() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), true, 1);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        try (Interop.Proc aria2 = aria2Seed(tmp.resolve("t.torrent"), tmp.resolve("seed"), port);
             TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("out")).withUseTrackers(false)
                     .withPeers(List.of(new InetSocketAddress("127.0.0.1", port))))) {
            assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(aria2.output()).isTrue();
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    @Test
    void aria2SeedsWeDownloadSingleFileThroughTheTracker() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), false, 2);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            try (Interop.Proc aria2 = aria2Seed(tmp.resolve("t.torrent"), tmp.resolve("seed"), Interop.freePort());
                 TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("out")))) {
                assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(aria2.output()).isTrue();
            }
            Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
        }
    }

    @Test
    void weSeedAria2DownloadsMultiFileThroughTheTracker() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), true, 3);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
                assertThat(us.status().complete()).isTrue();
                // aria2 must find us at the tracker
                assertThat(Eventually.within(Duration.ofSeconds(30), () -> !tracker.seen().isEmpty()))
                        .as("announced to the tracker").isTrue();
                try (Interop.Proc aria2 = new Interop.Proc(Interop.aria2("--seed-time=0", "--check-integrity=true",
                        "--listen-port=" + Interop.freePort(), "--dir=" + tmp.resolve("out"), tmp.resolve("t.torrent").toString()), tmp)) {
                    assertThat(aria2.exit(Duration.ofSeconds(90))).as(aria2.output()).isZero();
                }
            }
            Interop.assertSameContent(content, tmp.resolve("out/set"));
        }
    }
}
