package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonParser;

import simplebt.cli.InputLines;
import simplebt.cli.Prompt;
import simplebt.cli.UsageException;
import simplebt.tracker.TestTorrents;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;
import simplebt.trackerclient.TrackerApiException;

/**
 * signup, login, whoami, upload, list, logout against a tracker on 127.0.0.1; and what they and
 * the menu print for a torrent named to attack the terminal.
 */
class AccountCommandsTest {
    @TempDir
    Path dir;
    private TrackerServer server;
    private Path configDir;
    private ByteArrayOutputStream out;

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.start(TrackerConfig.defaults(dir.resolve("tracker")).withHost("127.0.0.1").withPort(0)
                .withPasswordIterations(1000));
        configDir = dir.resolve("config/simplebt");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String run(Command command, String stdin, String... args) throws Exception {
        out = new ByteArrayOutputStream();
        AccountEnv env = new AccountEnv(configDir, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        Command c = switch (command.name()) {
            case "signup" -> new SignupCommand(env);
            case "login" -> new LoginCommand(env);
            case "logout" -> new LogoutCommand(env);
            case "whoami" -> new WhoamiCommand(env);
            case "list" -> new ListCommand(env);
            case "upload" -> new UploadCommand(env);
            default -> throw new IllegalArgumentException(command.name());
        };
        assertThat(c.run(List.of(args))).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void signupLoginUploadListWhoamiLogout() throws Exception {
        String url = server.baseUrl();
        assertThat(run(new SignupCommand(), "correct horse\n", "alice", "--password-stdin", "--tracker", url))
                .contains("account alice created");
        assertThat(run(new LoginCommand(), "correct horse\n", "alice", "--password-stdin", "--tracker", url))
                .startsWith("logged in as alice on " + url);

        Path config = configDir.resolve("config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configDir))).isEqualTo("rwx------");
        NodeConfig saved = NodeConfig.load(configDir);
        assertThat(saved.trackerUrl()).isEqualTo(url);
        assertThat(saved.username()).isEqualTo("alice");
        assertThat(saved.token()).isNotBlank();

        assertThat(run(new WhoamiCommand(), "")).contains("username:     alice").contains("/announce?passkey=");
        Path torrent = dir.resolve("song.torrent");
        Files.write(torrent, TestTorrents.singleFile("song.flac", 3 << 20));
        assertThat(run(new UploadCommand(), "", torrent.toString())).startsWith("uploaded song.flac (");

        String table = run(new ListCommand(), "");
        assertThat(table.lines().findFirst().orElseThrow())
                .isEqualTo("No.  Name       Size     Uploaded by  Date              Seeders  Leechers  Completed");
        assertThat(table.lines().skip(2).findFirst().orElseThrow()).startsWith("  1  song.flac  3.0 MiB  alice");
        String json = run(new ListCommand(), "", "--json");
        assertThat(JsonParser.parseString(json).getAsJsonArray().get(0).getAsJsonObject().get("uploader").getAsString())
                .isEqualTo("alice");

        assertThat(run(new LogoutCommand(), "")).isEqualTo("logged out alice\n");
        assertThat(NodeConfig.load(configDir).loggedIn()).isFalse();
        assertThat(NodeConfig.load(configDir).trackerUrl()).isEqualTo(url);
        assertThatThrownBy(() -> run(new WhoamiCommand(), "")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("not logged in to " + url);
    }

    @Test
    void wrongPasswordIsOneClearError() throws Exception {
        String url = server.baseUrl();
        run(new SignupCommand(), "correct horse\n", "alice", "--password-stdin", "--tracker", url);
        assertThatThrownBy(() -> run(new LoginCommand(), "bad password\n", "alice", "--password-stdin", "--tracker", url))
                .isInstanceOf(TrackerApiException.class).hasMessage("wrong username or password");
        assertThat(NodeConfig.load(configDir).loggedIn()).isFalse();
        assertThatThrownBy(() -> run(new LoginCommand(), "", "alice", "--password-stdin", "--tracker", url))
                .hasMessage("--password-stdin: no password on standard input");
    }

    @Test
    void uploadChecksTheFileLocallyFirst() throws Exception {
        Path junk = dir.resolve("junk.torrent");
        Files.writeString(junk, "not bencode");
        assertThatThrownBy(() -> run(new UploadCommand(), "", junk.toString()))
                .isInstanceOf(simplebt.metainfo.MetainfoException.class);
    }

    @Test
    void tokenIsNotSentToAnotherTracker() throws Exception {
        NodeConfig.defaults().withLogin("http://127.0.0.1:1", "secret-token", "alice").save(configDir);
        assertThatThrownBy(() -> run(new UploadCommand(), "", "--tracker", server.baseUrl(), "x.torrent"))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThatThrownBy(() -> run(new WhoamiCommand(), "", "--tracker", server.baseUrl()))
                .hasMessageStartingWith("not logged in to " + server.baseUrl());
    }

    /**
     * A torrent named to attack the terminal: OSC 52 (write the clipboard), a screen clear, a CR that
     * overwrites the line, BEL, a C1 CSI, a right-to-left override and DEL.
     */
    static final String EVIL = "song\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b[2J\rfake line\u009b31m\u202eclf.exe\u007f.flac";

    /** No character a terminal acts on, except the newline (C1 and bidi controls included). */
    static void assertNoControlCharacters(String printed) {
        for (int i = 0; i < printed.length(); i++) {
            char c = printed.charAt(i);
            boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e);
            assertThat(control).as("character U+%04X at %d in:%n%s", (int) c, i, printed).isFalse();
        }
    }

    /** list, upload, info and the menu print the name escaped; --json keeps it exact, escaped. */
    @Test
    void listUploadInfoAndTheMenuPrintNoControlCharacters() throws Exception {
        String url = server.baseUrl();
        run(new SignupCommand(), "correct horse\n", "mallory", "--password-stdin", "--tracker", url);
        run(new LoginCommand(), "correct horse\n", "mallory", "--password-stdin", "--tracker", url);
        Path torrent = dir.resolve("evil.torrent");
        Files.write(torrent, TestTorrents.singleFile(EVIL, 3 << 20));

        String upload = run(new UploadCommand(), "", torrent.toString());
        assertNoControlCharacters(upload);
        assertThat(upload).contains("song\\x1b]52;c;");
        String list = run(new ListCommand(), "");
        assertNoControlCharacters(list);
        assertThat(list).contains("\\x1b[2J\\x0dfake line\\x9b31m\\u202eclf.exe\\x7f.flac");
        String json = run(new ListCommand(), "", "--json");
        assertNoControlCharacters(json);
        assertThat(JsonParser.parseString(json).getAsJsonArray().get(0).getAsJsonObject().get("name").getAsString())
                .isEqualTo(EVIL);

        NodeCommandsTest.Result info = NodeCommandsTest.run("info", torrent.toString());
        assertNoControlCharacters(info.out());
        NodeCommandsTest.Result infoJson = NodeCommandsTest.run("info", torrent.toString(), "--json");
        assertNoControlCharacters(infoJson.out());
        assertThat(JsonParser.parseString(infoJson.out()).getAsJsonObject().get("name").getAsString()).isEqualTo(EVIL);

        // The menu's "Download a torrent": the table, the pick, and the question that names it (answered no).
        ByteArrayOutputStream menuOut = new ByteArrayOutputStream();
        Prompt prompt = new Prompt(InputLines.start(new ByteArrayInputStream("1\nn\n".getBytes(StandardCharsets.UTF_8))),
                new PrintStream(menuOut, true, StandardCharsets.UTF_8), false);
        new DownloadFlow(new MenuContext(prompt, configDir, dir.resolve("torrents"), new CtrlC())).run();
        assertNoControlCharacters(menuOut.toString(StandardCharsets.UTF_8));
        assertThat(menuOut.toString(StandardCharsets.UTF_8)).contains("Download song\\x1b]52;c;");
    }
}
