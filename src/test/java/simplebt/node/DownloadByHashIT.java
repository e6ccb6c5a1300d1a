package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;

/** {@code node download INFOHASH}: the .torrent comes from the tracker, stamped with our passkey. */
class DownloadByHashIT {
    @TempDir
    Path dir;
    private TrackerServer server;

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.start(TrackerConfig.defaults(dir.resolve("tracker")).withHost("127.0.0.1").withPort(0)
                .withPasswordIterations(1000));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fetchesTheStampedTorrentAndDownloadsIt() throws Exception {
        String url = server.baseUrl();
        Path data = dir.resolve("seed/report.bin");
        Files.createDirectories(data.getParent());
        byte[] content = new byte[700_000];
        new Random(3).nextBytes(content);
        Files.write(data, content);
        assertThat(node("long-password\n", "signup", "frank", "--password-stdin", "--tracker", url).exit()).isZero();
        assertThat(node("long-password\n", "login", "frank", "--password-stdin", "--tracker", url).exit()).isZero();
        NodeProcess.Result created = node("", "create", data.toString(), "-o", dir.resolve("r.torrent").toString(),
                "--tracker", url + "/announce", "--private");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(node("", "upload", dir.resolve("r.torrent").toString()).exit()).isZero();
        Metainfo meta = Metainfo.read(dir.resolve("r.torrent"));

        SessionOptions seedOptions = SessionOptions.of(data.getParent()).withBind(InetAddress.getLoopbackAddress())
                .withPort(0).withUseTrackers(false);
        try (TorrentSession seeder = TorrentSession.start(meta, seedOptions)) {
            NodeProcess.Result download = node("", "download", meta.infoHash().hex(), "--out", dir.resolve("out").toString(),
                    "--bind", "127.0.0.1", "--port", "0", "--peer", "127.0.0.1:" + seeder.port(), "--quiet");
            assertThat(download.exit()).as(download.err()).isZero();
        }
        assertThat(Files.readAllBytes(dir.resolve("out/report.bin"))).isEqualTo(content);
        Metainfo saved = Metainfo.read(dir.resolve("torrents/report.bin.torrent"));
        assertThat(saved.infoHash()).isEqualTo(meta.infoHash());
        assertThat(saved.announce().orElseThrow()).startsWith(url + "/announce?passkey=");
    }

    @Test
    void byHashNeedsALogin() throws Exception {
        NodeProcess.Result r = node("", "download", "0123456789abcdef0123456789abcdef01234567", "--out", dir.resolve("out").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).startsWith("error: to download by info hash, log in first");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private NodeProcess.Result node(String stdin, String... args) throws Exception {
        return NodeProcess.node(dir, Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()), stdin, args);
    }
}
