package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.metainfo.TorrentBuilder;

/** Shared pieces of the interop tests: content, torrents, external processes, checks. */
final class Interop {
    private Interop() {
    }

    static Path home() {
        return Path.of(System.getProperty("simplebt.home", "."));
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static boolean libtorrentAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import libtorrent").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /**
     * A folder "set" with a file whose size is not a multiple of the piece length, an empty file
     * and a file in a subfolder; or one file when {@code multi} is false.
     */
    static Path content(Path dir, boolean multi, long seed) throws IOException {
        Random r = new Random(seed);
        Files.createDirectories(dir);
        if (!multi) {
            Path f = dir.resolve("single.bin");
            Files.write(f, bytes(r, 3 * 262_144 + 12_345));
            return f;
        }
        Path root = dir.resolve("set");
        Files.createDirectories(root.resolve("sub"));
        Files.write(root.resolve("big.bin"), bytes(r, 1_000_003));
        Files.write(root.resolve("empty.dat"), new byte[0]);
        Files.write(root.resolve("sub/small.txt"), bytes(r, 40_000));
        return root;
    }

    static Metainfo torrent(Path content, Path torrentFile, String tracker) throws Exception {
        TorrentBuilder b = new TorrentBuilder(content).pieceLength(65536);
        if (tracker != null) {
            b.tracker(tracker);
        }
        byte[] raw = b.build(n -> { });
        Files.write(torrentFile, raw);
        return Metainfo.parse(raw);
    }

    /** Every file under {@code expected} has the same SHA-256 under {@code actual}. */
    static void assertSameContent(Path expected, Path actual) throws Exception {
        if (Files.isRegularFile(expected)) {
            assertThat(sha256(actual)).as(actual.toString()).isEqualTo(sha256(expected));
            return;
        }
        try (var files = Files.walk(expected)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path other = actual.resolve(expected.relativize(p).toString());
                assertThat(other).exists();
                assertThat(sha256(other)).as(other.toString()).isEqualTo(sha256(p));
            }
        }
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static List<String> aria2(String... more) {
        List<String> cmd = new ArrayList<>(List.of("aria2c", "--enable-dht=false", "--enable-dht6=false",
                "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--bt-external-ip=127.0.0.1",
                "--disable-ipv6=true", "--console-log-level=warn", "--summary-interval=0", "--follow-torrent=false",
                "--file-allocation=none", "--bt-stop-timeout=60", "--no-conf=true"));
        cmd.addAll(List.of(more));
        return cmd;
    }

    /** aria2c seeding {@code torrent} from {@code dataDir} on {@code port}, trusting the data as it is. */
    static List<String> aria2Seed(Path torrent, Path dataDir, int port) {
        return aria2("--seed-ratio=0.0", "--bt-seed-unverified=true", "--check-integrity=false",
                "--listen-port=" + port, "--dir=" + dataDir, torrent.toString());
    }

    /** Our engine's options on 127.0.0.1, any free port. */
    static SessionOptions localOptions(Path dir) throws IOException {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0);
    }

    static List<String> libtorrent(String mode, Path torrent, Path save, int port, String peer) {
        return libtorrent(mode, torrent.toString(), save, port, peer);
    }

    /** {@code torrent}: a .torrent path, or for mode "magnet" the link. */
    static List<String> libtorrent(String mode, String torrent, Path save, int port, String peer) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3",
                home().resolve("src/test/resources/interop/lt_peer.py").toString(), mode, torrent,
                save.toString(), Integer.toString(port)));
        if (peer != null) {
            cmd.add(peer);
        }
        return cmd;
    }

    static List<String> node(String... args) {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", home().resolve("node.jar").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** An external program whose output lines we can wait for; always destroy it in finally. */
    static final class Proc implements AutoCloseable {
        final Process process;
        final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final Thread reader;

        Proc(List<String> command, Path dir) throws IOException {
            this(command, dir, java.util.Map.of());
        }

        /** With extra environment, e.g. XDG_CONFIG_HOME for a node with a config dir of its own. */
        Proc(List<String> command, Path dir, java.util.Map<String, String> env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            process = pb.start();
            reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                        queue.add(line);
                    }
                } catch (IOException e) {
                    // process gone
                }
            });
        }

        String await(Predicate<String> match, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                String line = queue.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && match.test(line)) {
                    return line;
                }
                if (line == null && !process.isAlive() && queue.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("no matching output within " + timeout + "; output:\n" + String.join("\n", lines));
        }

        int exit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("did not exit within " + timeout + "; output:\n" + String.join("\n", lines));
            }
            // the process is gone, but under load our reader may not have read its last lines yet:
            // output() right after exit() was empty once (ServeIT's `torrents --json`)
            reader.join(Duration.ofSeconds(10));
            return process.exitValue();
        }

        String output() {
            return String.join("\n", lines);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }
}
