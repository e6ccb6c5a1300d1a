package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.storage.ResumeFile;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.testing.Eventually;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;

/** One node process, many torrents, one port: `node seed A B C` and `node download A B`, with real peers. */
@Timeout(180)
class ManyTorrentsIT {
    @TempDir
    Path tmp;

    /** A file of its own size in {@code dir}, and its torrent (32 KiB pieces) at {@code dir/../NAME.torrent}. */
    private Metainfo torrent(Path dir, String name, int size, String tracker) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), Interop.bytes(new Random(size), size));
        byte[] raw = new TorrentBuilder(dir.resolve(name)).pieceLength(32768).tracker(tracker).build(n -> { });
        Files.write(tmp.resolve(name + ".torrent"), raw);
        return Metainfo.parse(raw);
    }

    private static int portFrom(Interop.Proc node) throws InterruptedException {
        String line = node.await(l -> l.startsWith("listening on port "), Duration.ofSeconds(30));
        return Integer.parseInt(line.split(" ")[3]);
    }

    @Test
    void oneProcessSeedsThreeTorrentsOnOnePortToAria2LibtorrentAndOurNodeAtOnce() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed");
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        try (TrackerServer tracker = TrackerServer.start(TrackerConfig.defaults(tmp.resolve("tracker"))
                .withHost("127.0.0.1").withPort(0).withOpen(true).withInterval(5))) {
            String announce = tracker.baseUrl() + "/announce";
            Path seed = tmp.resolve("seed");
            List<String> names = List.of("for-aria2.bin", "for-libtorrent.bin", "for-ours.bin");
            int[] sizes = {700_001, 650_003, 600_007};
            for (int i = 0; i < 3; i++) {
                torrent(seed, names.get(i), sizes[i], announce);
            }
            List<String> seedArgs = new ArrayList<>(List.of("seed"));
            names.forEach(n -> seedArgs.add(tmp.resolve(n + ".torrent").toString()));
            seedArgs.addAll(List.of("--data", seed.toString(), "--bind", "127.0.0.1", "--port", "0"));
            Files.createDirectories(tmp.resolve("lt"));
            try (Interop.Proc seeder = new Interop.Proc(Interop.node(seedArgs.toArray(String[]::new)), tmp)) {
                int port = portFrom(seeder);
                seeder.await(l -> l.startsWith("seeding 3 torrents"), Duration.ofSeconds(30));
                try (Interop.Proc aria2 = new Interop.Proc(Interop.aria2("--seed-time=0", "--check-integrity=true",
                        "--listen-port=" + Interop.freePort(), "--dir=" + tmp.resolve("aria2"),
                        tmp.resolve(names.get(0) + ".torrent").toString()), tmp);
                     Interop.Proc lt = new Interop.Proc(Interop.libtorrent("leech", tmp.resolve(names.get(1) + ".torrent"),
                             tmp.resolve("lt"), Interop.freePort(), "127.0.0.1:" + port), tmp);
                     Interop.Proc ours = new Interop.Proc(Interop.node("download", tmp.resolve(names.get(2) + ".torrent").toString(),
                             "--out", tmp.resolve("ours").toString(), "--bind", "127.0.0.1", "--port", "0",
                             "--peer", "127.0.0.1:" + port), tmp)) {
                    assertThat(aria2.exit(Duration.ofSeconds(120))).as(aria2.output()).isZero();
                    assertThat(lt.exit(Duration.ofSeconds(120))).as(lt.output()).isZero();
                    assertThat(ours.exit(Duration.ofSeconds(120))).as(ours.output()).isZero();
                }
                seeder.process.destroy(); // SIGTERM: every torrent closes, announces stopped, saves its resume file
                assertThat(seeder.exit(Duration.ofSeconds(30))).as(seeder.output()).isZero();
            }
            Interop.assertSameContent(seed.resolve(names.get(0)), tmp.resolve("aria2").resolve(names.get(0)));
            Interop.assertSameContent(seed.resolve(names.get(1)), tmp.resolve("lt").resolve(names.get(1)));
            Interop.assertSameContent(seed.resolve(names.get(2)), tmp.resolve("ours").resolve(names.get(2)));
            try (var resume = Files.list(seed.resolve(ResumeFile.DIR))) {
                assertThat(resume.count()).as("a resume file per torrent").isEqualTo(3);
            }
        }
    }

    /** SIGTERM in the middle of two downloads: exit 130, and each torrent's resume file keeps what was verified. */
    @Test
    void stoppingTwoDownloadsMidwaySavesBothResumeFilesAndExits130() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.1");
        Path seed = tmp.resolve("seed");
        Metainfo a = torrent(seed, "slow-a.bin", 2_000_003, "http://127.0.0.1:1/announce");
        Metainfo b = torrent(seed, "slow-b.bin", 2_000_029, "http://127.0.0.1:1/announce");
        // a seeder held to 128 KiB/s, so the downloads are still running when they are stopped
        try (simplebt.swarm.SessionHost seeder = simplebt.swarm.SessionHost.start(simplebt.swarm.HostOptions.of()
                .withBind(local).withPort(0).withMaxUploadRate(128 * 1024))) {
            seeder.add(a, SessionOptions.of(seed).withUseTrackers(false));
            seeder.add(b, SessionOptions.of(seed).withUseTrackers(false));
            try (Interop.Proc node = new Interop.Proc(Interop.node("download", tmp.resolve("slow-a.bin.torrent").toString(),
                    tmp.resolve("slow-b.bin.torrent").toString(), "--out", tmp.resolve("out").toString(), "--no-tracker",
                    "--peer", "127.0.0.1:" + seeder.port(), "--bind", "127.0.0.1", "--port", "0"), tmp)) {
                portFrom(node);
                // each torrent has sent a few pieces
                Eventually.within(Duration.ofSeconds(60), () -> seeder.torrents().stream().allMatch(t -> t.status().uploaded() >= 200_000));
                node.process.destroy();
                assertThat(node.exit(Duration.ofSeconds(30))).as(node.output()).isEqualTo(130);
            }
        }
        try (var resume = Files.list(tmp.resolve("out").resolve(ResumeFile.DIR))) {
            assertThat(resume.count()).as("a resume file per torrent").isEqualTo(2);
        }
    }

    @Test
    void oneProcessDownloadsTwoTorrentsFromTwoSeedersAtOnce() throws Exception {
        try (TrackerServer tracker = TrackerServer.start(TrackerConfig.defaults(tmp.resolve("tracker"))
                .withHost("127.0.0.1").withPort(0).withOpen(true).withInterval(5))) {
            String announce = tracker.baseUrl() + "/announce";
            Metainfo a = torrent(tmp.resolve("seed-a"), "a.bin", 900_001, announce);
            Metainfo b = torrent(tmp.resolve("seed-b"), "b.bin", 800_011, announce);
            InetAddress local = InetAddress.getByName("127.0.0.1");
            try (TorrentSession seederA = TorrentSession.start(a, SessionOptions.of(tmp.resolve("seed-a")).withBind(local).withPort(0));
                 TorrentSession seederB = TorrentSession.start(b, SessionOptions.of(tmp.resolve("seed-b")).withBind(local).withPort(0));
                 Interop.Proc node = new Interop.Proc(Interop.node("download", tmp.resolve("a.bin.torrent").toString(),
                         tmp.resolve("b.bin.torrent").toString(), "--out", tmp.resolve("out").toString(),
                         "--bind", "127.0.0.1", "--port", "0"), tmp)) {
                assertThat(seederA.port()).isNotEqualTo(seederB.port());
                assertThat(node.exit(Duration.ofSeconds(120))).as(node.output()).isZero();
                assertThat(node.output()).contains("for 2 torrents", "done: a.bin", "done: b.bin");
                // piped: a plain snapshot, one line per torrent, ends the status display
                assertThat(node.output()).containsPattern("(?m)^a\\.bin\\s+seeding\\s+100\\.0%\\s+peers")
                        .containsPattern("(?m)^b\\.bin\\s+seeding\\s+100\\.0%\\s+peers");
                assertThat(seederA.status().uploaded()).as("a came from seeder A").isGreaterThanOrEqualTo(a.info().totalLength());
                assertThat(seederB.status().uploaded()).as("b came from seeder B").isGreaterThanOrEqualTo(b.info().totalLength());
            }
            Interop.assertSameContent(tmp.resolve("seed-a/a.bin"), tmp.resolve("out/a.bin"));
            Interop.assertSameContent(tmp.resolve("seed-b/b.bin"), tmp.resolve("out/b.bin"));
        }
    }
}
