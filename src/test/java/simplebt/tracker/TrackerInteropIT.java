package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.testing.Eventually;

/**
 * Two standard clients find each other through our private tracker: aria2c seeds a file made
 * by mktorrent, libtorrent (python3, default settings) downloads it using the passkey .torrent
 * the tracker stamped, and the bytes arrive intact.
 */
class TrackerInteropIT {
    private static final String LIBTORRENT_GET = """
            import sys, time, libtorrent as lt
            torrent, save, port, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
            s = lt.session({'listen_interfaces': '127.0.0.1:%d' % port, 'enable_dht': False, 'enable_lsd': False,
                            'enable_upnp': False, 'enable_natpmp': False, 'allow_multiple_connections_per_ip': True,
                            'alert_mask': lt.alert.category_t.error_notification | lt.alert.category_t.tracker_notification})
            h = s.add_torrent({'ti': lt.torrent_info(torrent), 'save_path': save})
            end = time.time() + timeout
            while time.time() < end:
                for a in s.pop_alerts():
                    print('alert:', a.message(), flush=True)
                if h.status().is_seeding:
                    time.sleep(1.5)  # let the 'completed' announce go out
                    print('done', flush=True)
                    sys.exit(0)
                time.sleep(0.2)
            print('timeout: progress %.2f peers %d' % (h.status().progress, h.status().num_peers), flush=True)
            sys.exit(1)
            """;
    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private TrackerServer server;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aria2SeedsAndLibtorrentDownloadsThroughThePrivateTracker() throws Exception {
        assumeTrue(onPath("aria2c"), "aria2c not installed: skipping");
        assumeTrue(onPath("mktorrent"), "mktorrent not installed: skipping");
        assumeTrue(run(List.of("/usr/bin/python3", "-c", "import libtorrent"), dir) == 0, "python3-libtorrent not installed: skipping");

        server = TrackerServer.start(TrackerConfig.defaults(dir.resolve("tracker")).withHost("127.0.0.1").withPort(0)
                .withPasswordIterations(1000).withInterval(5));
        Path seedDir = Files.createDirectories(dir.resolve("seed"));
        Path content = seedDir.resolve("payload.bin");
        byte[] data = new byte[700_000];
        new Random(42).nextBytes(data);
        Files.write(content, data);
        Path plain = dir.resolve("plain.torrent");
        assertThat(run(List.of("mktorrent", "-l", "15", "-a", server.baseUrl() + "/announce", "-o", plain.toString(),
                content.toString()), dir)).isZero();

        TrackerHttp http = new TrackerHttp(server.baseUrl());
        String token = http.signupAndLogin("alice");
        TrackerHttp.Reply up = http.post("/api/torrents", token, "application/x-bittorrent", Files.readAllBytes(plain));
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        String hash = up.field("infoHash");
        Path stamped = dir.resolve("alice.torrent");
        Files.write(stamped, http.get("/api/torrents/" + hash + "/file", token).body());
        assertThat(Metainfo.read(stamped).announce().orElseThrow()).contains("/announce?passkey=");

        Process aria = start(List.of("aria2c", "--dir=" + seedDir, "--check-integrity=true", "--seed-ratio=0.0",
                "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
                "--listen-port=" + freePort(), "--bt-tracker-interval=5", "--console-log-level=warn", "--summary-interval=0",
                stamped.toString()), dir.resolve("aria2.log"));
        Path getDir = Files.createDirectories(dir.resolve("get"));
        Path script = dir.resolve("lt_get.py");
        Files.writeString(script, LIBTORRENT_GET);
        Process lt = start(List.of("/usr/bin/python3", script.toString(), stamped.toString(), getDir.toString(),
                String.valueOf(freePort()), "60"), dir.resolve("libtorrent.log"));
        boolean finished = lt.waitFor(90, TimeUnit.SECONDS);
        String ltLog = Files.readString(dir.resolve("libtorrent.log"));
        assertThat(finished && lt.exitValue() == 0).as("libtorrent finished; its log:\n" + ltLog
                + "\naria2 log:\n" + Files.readString(dir.resolve("aria2.log"))).isTrue();
        assertThat(Files.readAllBytes(getDir.resolve("payload.bin"))).isEqualTo(data);
        assertThat(aria.isAlive()).isTrue();

        // libtorrent's 'completed' announce is counted and durable
        Eventually.within(Duration.ofSeconds(5), Duration.ofMillis(100), // each look is an API request
                () -> http.get("/api/torrents/" + hash, token).json().getAsJsonObject().get("completed").getAsLong() != 0);
        assertThat(http.get("/api/torrents/" + hash, token).json().getAsJsonObject().get("completed").getAsLong()).isEqualTo(1);
    }

    private Process start(List<String> cmd, Path log) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private int run(List<String> cmd, Path cwd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
