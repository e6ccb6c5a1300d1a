package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.testing.Eventually;

/**
 * {@code node download --debug} against trackers that cannot be reached: the debug output names
 * the announce URLs and their errors, but never the passkeys in them (issue 14). A real node.jar
 * process, stopped with SIGTERM once it has tried every tracker.
 */
@Timeout(120)
class DebugLogRedactionIT {
    private static final String QUERY_KEY = "aaaa1111bbbb2222cccc3333dddd4444";
    private static final String PATH_KEY = "eeee5555ffff6666aaaa7777bbbb8888";
    private static final String BAD_URL_KEY = "99990000aaaabbbbccccddddeeeeffff";

    @TempDir
    Path tmp;

    @Test
    void debugOutputHoldsNoPasskey() throws Exception {
        Path data = Files.writeString(tmp.resolve("d.txt"), "some data for a torrent\n");
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            dead = s.getLocalPort();
        }
        String tracker = "http://127.0.0.1:" + dead;
        NodeProcess.Result created = NodeProcess.jar("node.jar", tmp, "create", data.toString(), "-o", "d.torrent",
                "--tracker", tracker + "/announce?passkey=" + QUERY_KEY);
        assertThat(created.exit()).as(created.err()).isZero();

        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(List.of(NodeProcess.java().toString(), "-jar",
                NodeProcess.home().resolve("node.jar").toString(), "download", "d.torrent", "--out", "out", "--port", "0",
                "--debug", "--tracker", tracker + "/announce?passkey=" + QUERY_KEY,
                "--tracker", tracker + "/announce/" + PATH_KEY,
                "--tracker", tracker + "/announce?passkey=" + BAD_URL_KEY + "&x=a b"))
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(err.toFile());
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        Process p = pb.start();
        try {
            assertThat(Eventually.within(Duration.ofSeconds(30), () -> triedAll(Files.readString(err, StandardCharsets.UTF_8))))
                    .as("every tracker was tried:\n%s", Files.readString(err, StandardCharsets.UTF_8)).isTrue();
        } finally {
            p.destroy(); // SIGTERM: the node announces 'stopped' (it cannot) and exits
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String out = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(out).doesNotContain(QUERY_KEY).doesNotContain(PATH_KEY).doesNotContain(BAD_URL_KEY);
        assertThat(out).contains("/announce?passkey=<redacted>").contains("/announce/<redacted>");
    }

    private static boolean triedAll(String out) {
        return out.contains("/announce?passkey=<redacted>") && out.contains("/announce/<redacted>")
                && out.contains("bad tracker URL");
    }
}
