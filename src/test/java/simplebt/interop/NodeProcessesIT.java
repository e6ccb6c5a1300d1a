package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.trackerclient.TrackerStub;

/** Our node to our node: two processes of node.jar, as a user would run them. */
@Timeout(120)
class NodeProcessesIT {
    @TempDir
    Path tmp;

    private static int listeningPort(Interop.Proc p) throws InterruptedException {
        String line = p.await(l -> l.startsWith("listening on port "), Duration.ofSeconds(30));
        return Integer.parseInt(line.substring("listening on port ".length()).split(" ")[0]);
    }

    @Test
    void nodeSeedsNodeDownloadsByDirectPeerAndSeederStopsCleanly() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), true, 21);
        Interop.torrent(content, tmp.resolve("t.torrent"), null);
        try (Interop.Proc seeder = new Interop.Proc(Interop.node("seed", "t.torrent", "--data", "seed", "--port", "0",
                "--bind", "127.0.0.1"), tmp)) {
            int port = listeningPort(seeder);
            try (Interop.Proc leecher = new Interop.Proc(Interop.node("download", "t.torrent", "--out", "out", "--port", "0",
                    "--bind", "127.0.0.1", "--peer", "127.0.0.1:" + port), tmp)) {
                assertThat(leecher.exit(Duration.ofSeconds(90))).as(leecher.output()).isZero();
                assertThat(leecher.output()).contains("done: set");
            }
            seeder.process.destroy(); // SIGTERM, as from a service manager or Ctrl-C
            assertThat(seeder.exit(Duration.ofSeconds(20))).as(seeder.output()).isZero();
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    @Test
    void nodeSeedsNodeDownloadsSingleFileThroughTheTracker() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), false, 22);
            Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            try (Interop.Proc seeder = new Interop.Proc(Interop.node("seed", "t.torrent", "--data", "seed", "--port", "0",
                    "--bind", "127.0.0.1"), tmp)) {
                listeningPort(seeder);
                try (Interop.Proc leecher = new Interop.Proc(Interop.node("download", "t.torrent", "--out", "out",
                        "--port", "0", "--bind", "127.0.0.1"), tmp)) {
                    assertThat(leecher.exit(Duration.ofSeconds(90))).as(leecher.output()).isZero();
                }
                seeder.process.destroy();
                assertThat(seeder.exit(Duration.ofSeconds(20))).as(seeder.output()).isZero();
            }
            Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
            assertThat(tracker.seen().stream().map(TrackerStub.Seen::event))
                    .contains("started", "completed", "stopped");
        }
    }

    @Test
    void aDownloadStoppedBeforeTheEndSaysSoInItsExitCode() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), false, 23);
        Interop.torrent(content, tmp.resolve("t.torrent"), null);
        try (Interop.Proc leecher = new Interop.Proc(Interop.node("download", "t.torrent", "--out", "out", "--port", "0",
                "--bind", "127.0.0.1", "--peer", "127.0.0.1:" + Interop.freePort()), tmp)) {
            listeningPort(leecher);
            leecher.process.destroy();
            assertThat(leecher.exit(Duration.ofSeconds(20))).as(leecher.output()).isEqualTo(130);
        }
        assertThat(tmp.resolve("out/single.bin")).doesNotExist();
    }
}
