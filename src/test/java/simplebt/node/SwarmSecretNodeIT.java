package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.swarm.SecretTracker;
import simplebt.testing.Eventually;

/**
 * Issue 14 as it was seen, with real node.jar processes: two users, {@code --encryption
 * required}, a private torrent. While the tracker is up each node gets the swarm secret and
 * keeps it in its config dir; with the tracker gone, both restart and the download by
 * {@code --peer} still goes through the secure channel and exits 0.
 */
@Timeout(180)
class SwarmSecretNodeIT {
    private static final Pattern PORT = Pattern.compile("listening on port (\\d+)");

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private Process node(Path config, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(NodeProcess.java().toString(), "-jar",
                NodeProcess.home().resolve("node.jar").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("SIMPLEBT_TTY");
        pb.environment().put("XDG_CONFIG_HOME", config.toString());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static int listeningPort(Path log) throws Exception {
        Eventually.within(Duration.ofSeconds(30), () -> PORT.matcher(Files.readString(log, StandardCharsets.UTF_8)).find());
        Matcher m = PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new AssertionError("no 'listening on port' in " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return Integer.parseInt(m.group(1));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        Eventually.within(Duration.ofSeconds(30), () -> Files.exists(file));
        assertThat(file).exists();
    }

    @Test
    void requiredNodesRestartedWhileTheTrackerIsDownStillConnect() throws Exception {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 0x3c);
        HttpServer tracker = SecretTracker.start(secret);
        String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce?passkey=00112233445566778899aabbccddeeff";

        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = new byte[200_000];
        new Random(14).nextBytes(data);
        Files.write(seedDir.resolve("p.bin"), data);
        NodeProcess.Result created = NodeProcess.jar("node.jar", tmp, "create", "seed/p.bin", "-o", "p.torrent",
                "--private", "--tracker", url, "--piece-length", "16k");
        assertThat(created.exit()).as(created.err()).isZero();
        String hash = created.out().replaceAll("(?s).*?([0-9a-f]{40}).*", "$1");
        Path seederConfig = tmp.resolve("alice");
        Path leecherConfig = tmp.resolve("bob");
        String[] common = {"--port", "0", "--bind", "127.0.0.1", "--encryption", "required"};

        // tracker up: each user's node announces once and keeps the secret
        Process seeder = node(seederConfig, tmp.resolve("seed1.log"), concat(new String[] {"seed", "p.torrent", "--data", "seed"}, common));
        Process leecher = node(leecherConfig, tmp.resolve("leech1.log"), concat(new String[] {"download", "p.torrent", "--out", "out"}, common));
        awaitFile(seederConfig.resolve("simplebt/swarm-secrets/" + hash));
        awaitFile(leecherConfig.resolve("simplebt/swarm-secrets/" + hash));
        stop(leecher);
        stop(seeder);
        tracker.stop(0);
        assertThat(Files.readAllBytes(leecherConfig.resolve("simplebt/swarm-secrets/" + hash))).isEqualTo(secret);

        // tracker gone: both restart, the leecher dials the seeder directly
        Path seedLog = tmp.resolve("seed2.log");
        node(seederConfig, seedLog, concat(new String[] {"seed", "p.torrent", "--data", "seed"}, common));
        int port = listeningPort(seedLog);
        Path leechLog = tmp.resolve("leech2.log");
        Process download = node(leecherConfig, leechLog, concat(new String[] {"download", "p.torrent", "--out", "out",
                "--peer", "127.0.0.1:" + port}, common));
        assertThat(download.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(leechLog, StandardCharsets.UTF_8)).isTrue();
        assertThat(download.exitValue()).as(Files.readString(leechLog, StandardCharsets.UTF_8)).isZero();
        assertThat(Files.readAllBytes(tmp.resolve("out/p.bin"))).isEqualTo(data);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
