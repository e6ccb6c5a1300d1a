package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.tracker.TestTorrents;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;

/** node.jar as a user runs it: XDG_CONFIG_HOME, --password-stdin, exit codes, one-line errors. */
class AccountCommandsIT {
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

    private NodeProcess.Result node(String stdin, String... args) throws Exception {
        return NodeProcess.node(dir, Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()), stdin, args);
    }

    @Test
    void fullSessionThroughNodeJar() throws Exception {
        String url = server.baseUrl();
        NodeProcess.Result signup = node("correct horse\n", "signup", "carol", "--password-stdin", "--tracker", url);
        assertThat(signup.exit()).as(signup.err()).isZero();
        NodeProcess.Result badLogin = node("wrong horse!\n", "login", "carol", "--password-stdin", "--tracker", url);
        assertThat(badLogin.exit()).isEqualTo(1);
        assertThat(badLogin.err()).isEqualTo("error: wrong username or password\n");
        NodeProcess.Result login = node("correct horse\n", "login", "carol", "--password-stdin", "--tracker", url);
        assertThat(login.exit()).as(login.err()).isZero();

        Path config = dir.resolve("xdg/simplebt/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        Path torrent = dir.resolve("t.torrent");
        Files.write(torrent, TestTorrents.singleFile("clip.mp4", 50_000));
        assertThat(node("", "upload", torrent.toString()).exit()).isZero();
        NodeProcess.Result dup = node("", "upload", torrent.toString());
        assertThat(dup.exit()).isEqualTo(1);
        assertThat(dup.err()).startsWith("error: torrent ").endsWith(" is already registered\n");
        assertThat(node("", "whoami").out()).contains("username:     carol");
        assertThat(node("", "list").out()).contains("clip.mp4").contains("carol");
        assertThat(node("", "logout").out()).isEqualTo("logged out carol\n");
        NodeProcess.Result after = node("", "whoami");
        assertThat(after.exit()).isEqualTo(2);
        assertThat(after.err()).startsWith("error: not logged in to " + url);
    }
}
