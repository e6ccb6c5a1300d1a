package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.secure.SecureChannelException.Kind;
import simplebt.testing.Eventually;

/**
 * The fallback rests on one fact about standard clients: faced with our hello they close or
 * stay silent, and never answer (so the initiator sees NO_ANSWER, not a tampering error), and
 * the same listener still speaks plain BEP 3 on a new connection. Checked against the real
 * programs: libtorrent (python3-libtorrent) and aria2c, each seeding a small torrent on 127.0.0.1.
 */
@Timeout(120)
class StandardClientsIT {
    private static final Duration HANDSHAKE = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    private Path torrent;
    private InfoHash infoHash;

    @BeforeEach
    void makeTorrent() throws Exception {
        Path content = dir.resolve("content.bin");
        Files.write(content, Fixtures.random(200_000, 77));
        byte[] file = new TorrentBuilder(content).pieceLength(16 << 10).tracker("http://127.0.0.1:9/announce").build(n -> { });
        torrent = dir.resolve("content.torrent");
        Files.write(torrent, file);
        infoHash = Metainfo.parse(file).infoHash();
    }

    @Test
    void libtorrentNeverAnswersOurHelloButSpeaksPlain() throws Exception {
        assumeTrue(run("/usr/bin/python3", "-c", "import libtorrent") == 0, "python3-libtorrent not installed: skipping");
        int port = freePort();
        Path script = dir.resolve("seed.py");
        Files.writeString(script, """
                import libtorrent as lt, sys, time
                s = lt.session({'listen_interfaces': '127.0.0.1:%d', 'enable_dht': False, 'enable_lsd': False,
                                'enable_upnp': False, 'enable_natpmp': False})
                h = s.add_torrent({'ti': lt.torrent_info(sys.argv[1]), 'save_path': sys.argv[2]})
                for _ in range(300):
                    if h.status().is_seeding:
                        break
                    time.sleep(0.1)
                print('ready' if h.status().is_seeding else 'not seeding', flush=True)
                sys.stdin.read()
                """.formatted(port));
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), torrent.toString(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine())
                    .isEqualTo("ready");
            checkClient("libtorrent", port);
        } finally {
            stop(p);
        }
    }

    @Test
    void aria2NeverAnswersOurHelloButSpeaksPlain() throws Exception {
        assumeTrue(onPath("aria2c"), "aria2c not installed: skipping");
        int port = freePort();
        Process p = new ProcessBuilder("aria2c", "--dir=" + dir, "--check-integrity=true", "--seed-ratio=0.0",
                "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
                "--interface=127.0.0.1", "--listen-port=" + port, "--console-log-level=warn", "--summary-interval=0",
                torrent.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("aria2.log").toFile()).start();
        try {
            checkClient("aria2c", port);
        } finally {
            stop(p);
        }
    }

    private void checkClient(String name, int port) throws Exception {
        waitForListener(port);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> SecureChannel.connect(connect(port), SwarmKey.open(infoHash), HANDSHAKE))
                .isInstanceOfSatisfying(SecureChannelException.class, e -> {
                    assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.NO_ANSWER);
                    assertThat(e.peerUntrusted()).isFalse();
                });
        System.out.printf("%s: secure hello -> no answer after %d ms%n", name, (System.nanoTime() - t0) / 1_000_000);

        try (Socket plain = connect(port)) {
            plain.getOutputStream().write(Fixtures.plainHandshake(infoHash, 'A'));
            byte[] answer = plain.getInputStream().readNBytes(68);
            assertThat(answer).hasSize(68);
            assertThat(answer[0]).isEqualTo((byte) 19);
            assertThat(Arrays.copyOfRange(answer, 28, 48)).isEqualTo(infoHash.bytes());
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        return s;
    }

    private static void waitForListener(int port) throws InterruptedException {
        boolean listening = Eventually.within(Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        if (!listening) {
            throw new AssertionError("nothing listens on port " + port);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }
}
