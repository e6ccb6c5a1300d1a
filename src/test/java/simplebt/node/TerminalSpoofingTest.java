package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.cli.InputLines;
import simplebt.cli.Prompt;
import simplebt.tracker.TestTorrents;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;

/**
 * A torrent named to attack the terminal: OSC 52 (write the clipboard), a screen clear, a CR that
 * overwrites the line, BEL, a C1 CSI and a right-to-left override. What {@code list}, {@code info},
 * {@code upload} and the menu print must hold none of those bytes; {@code --json} keeps the exact
 * name, escaped.
 */
class TerminalSpoofingTest {
    static final String EVIL = "song\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b[2J\rfake line\u009b31m\u202eclf.exe\u007f.flac";

    @TempDir
    Path dir;
    private TrackerServer server;
    private Path configDir;

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

    private byte[] run(Command command, String stdin, ByteArrayOutputStream out, String... args) throws Exception {
        AccountEnv env = new AccountEnv(configDir, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        Command c = switch (command.name()) {
            case "signup" -> new SignupCommand(env);
            case "login" -> new LoginCommand(env);
            case "list" -> new ListCommand(env);
            case "upload" -> new UploadCommand(env);
            default -> throw new IllegalArgumentException(command.name());
        };
        assertThat(c.run(List.of(args))).isZero();
        return out.toByteArray();
    }

    private byte[] run(Command command, String stdin, String... args) throws Exception {
        return run(command, stdin, new ByteArrayOutputStream(), args);
    }

    /** No byte a terminal acts on, except the newline; and none of the UTF-8 forms of C1 or bidi controls. */
    static void assertNoControlBytes(byte[] printed) {
        String text = new String(printed, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e);
            assertThat(control).as("character U+%04X at %d in:%n%s", (int) c, i, text).isFalse();
        }
    }

    @Test
    void listUploadInfoAndTheMenuPrintNoControlCharacters() throws Exception {
        String url = server.baseUrl();
        run(new SignupCommand(), "correct horse\n", "mallory", "--password-stdin", "--tracker", url);
        run(new LoginCommand(), "correct horse\n", "mallory", "--password-stdin", "--tracker", url);
        Path torrent = dir.resolve("evil.torrent");
        Files.write(torrent, TestTorrents.singleFile(EVIL, 3 << 20));

        byte[] upload = run(new UploadCommand(), "", torrent.toString());
        assertNoControlBytes(upload);
        assertThat(new String(upload, StandardCharsets.UTF_8)).contains("song\\x1b]52;c;");

        byte[] list = run(new ListCommand(), "");
        assertNoControlBytes(list);
        assertThat(new String(list, StandardCharsets.UTF_8)).contains("\\x1b[2J\\x0dfake line\\x9b31m\\u202eclf.exe\\x7f.flac");

        byte[] json = run(new ListCommand(), "", "--json");
        assertNoControlBytes(json);
        assertThat(JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonArray().get(0)
                .getAsJsonObject().get("name").getAsString()).isEqualTo(EVIL);

        NodeCommandsTest.Result info = NodeCommandsTest.run("info", torrent.toString());
        assertNoControlBytes(info.out().getBytes(StandardCharsets.UTF_8));
        NodeCommandsTest.Result infoJson = NodeCommandsTest.run("info", torrent.toString(), "--json");
        assertNoControlBytes(infoJson.out().getBytes(StandardCharsets.UTF_8));
        assertThat(JsonParser.parseString(infoJson.out()).getAsJsonObject().get("name").getAsString()).isEqualTo(EVIL);

        // The menu's "Download a torrent": the table, the pick, and the question that names it (answered no).
        ByteArrayOutputStream menuOut = new ByteArrayOutputStream();
        Prompt prompt = new Prompt(InputLines.start(new ByteArrayInputStream("1\nn\n".getBytes(StandardCharsets.UTF_8))),
                new PrintStream(menuOut, true, StandardCharsets.UTF_8), false);
        new DownloadFlow(new MenuContext(prompt, configDir, dir.resolve("torrents"), new CtrlC())).run();
        assertNoControlBytes(menuOut.toByteArray());
        assertThat(menuOut.toString(StandardCharsets.UTF_8)).contains("Download song\\x1b]52;c;");
    }
}
