package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;

/** One swarm through our open tracker: our seeder; aria2, libtorrent and our node leeching at once. */
@Timeout(120)
class MixedSwarmIT {
    @TempDir
    Path tmp;

    @Test
    void ourSeederWithAria2LibtorrentAndOurLeecherAllComplete() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed: skipping the mixed swarm");
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed: skipping the mixed swarm");
        try (TrackerServer tracker = TrackerServer.start(TrackerConfig.defaults(tmp.resolve("tracker"))
                .withHost("127.0.0.1").withPort(0).withOpen(true).withInterval(5))) {
            Path content = Interop.content(tmp.resolve("seed"), true, 31);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.baseUrl() + "/announce");
            SessionOptions local = SessionOptions.of(tmp.resolve("seed")).withBind(InetAddress.getByName("127.0.0.1")).withPort(0);
            try (TorrentSession seeder = TorrentSession.start(meta, local)) {
                assertThat(seeder.status().complete()).isTrue();
                Files.createDirectories(tmp.resolve("lt"));
                try (Interop.Proc aria2 = new Interop.Proc(Interop.aria2("--seed-time=0", "--check-integrity=true",
                        "--listen-port=" + Interop.freePort(), "--dir=" + tmp.resolve("aria2"), tmp.resolve("t.torrent").toString()), tmp);
                     Interop.Proc lt = new Interop.Proc(Interop.libtorrent("leech", tmp.resolve("t.torrent"), tmp.resolve("lt"),
                             Interop.freePort(), "127.0.0.1:" + seeder.port()), tmp);
                     TorrentSession ours = TorrentSession.start(meta, SessionOptions.of(tmp.resolve("ours"))
                             .withBind(InetAddress.getByName("127.0.0.1")).withPort(0))) {
                    assertThat(ours.awaitCompletion(Duration.ofSeconds(90))).isTrue();
                    assertThat(aria2.exit(Duration.ofSeconds(90))).as(aria2.output()).isZero();
                    assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
                }
                System.out.printf("mixed swarm: our seeder uploaded %d bytes for 3 leechers of a %d-byte torrent%n",
                        seeder.status().uploaded(), meta.info().totalLength());
            }
            for (String who : new String[] {"aria2", "lt", "ours"}) {
                Interop.assertSameContent(content, tmp.resolve(who + "/set"));
            }
        }
    }
}
