package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.testing.Eventually;

/**
 * The menu through a real terminal: tmux runs the node, send-keys types, capture-pane reads
 * the screen. A piped node seeds; the terminal node registers, picks the torrent from the
 * table and downloads it; the live Transfers table shows it done; Exit keeps it seeding until
 * Ctrl-C.
 */
class MenuTmuxIT {
    private static final Duration STEP = Duration.ofSeconds(60);

    @Test
    void downloadFromTheTableInARealTerminal(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux not installed (scripts/install-deps.sh installs it): skipping the terminal test");
        Path share = tmp.resolve("seeder/share");
        MenuProcesses.writeRandom(share.resolve("song.bin"), 800_000, 7);
        String socket = "sbt-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (MenuProcesses procs = new MenuProcesses()) {
            String tracker = procs.startTracker(tmp.resolve("tracker-data"));
            MenuProcesses.Piped seeder = procs.startMenu(MenuPipedIT.dir(tmp, "seeder"), MenuPipedIT.dir(tmp, "seeder-config"));
            seeder.type(MenuPipedIT.settings(tracker, MenuProcesses.freePort()));
            seeder.type("1", "dave", "dave-password", "dave-password", "1", share.toString());
            seeder.await("Seeding share; Transfers shows it.", STEP);

            Path work = MenuPipedIT.dir(tmp, "term");
            startRegistered(socket, tmp, work, tracker, MenuProcesses.freePort(), "erin");
            try {
                keys(socket, "2");
                awaitScreen(socket, "Number to download");
                keys(socket, "1", "y");
                String screen = awaitScreen(socket, "Transfers shows its progress.");
                assertThat(screen).contains("No.", "Uploaded by", "Seeders", "Leechers", "Completed");
                assertThat(screen).containsPattern("1\\s+share\\s+781 KiB\\s+dave");
                assertThat(screen).doesNotContain("erin-password"); // typed with echo off
                keys(socket, "3"); // Transfers: a live table
                awaitScreen(socket, "seeding", "Transfers on port");
                assertThat(lastScreen(socket, "Transfers on port")).containsPattern("> +1\\s+share\\s+781 KiB\\s+100\\.0%");
                tmux(socket, "send-keys", "q");
                awaitScreen(socket, "Logged in as erin at", "(refreshed every second)");
                keys(socket, "7");
                awaitScreen(socket, "1 torrent is still running. On exit:");
                keys(socket, "1"); // keep seeding
                awaitScreen(socket, "Ctrl-C stops everything.");
                tmux(socket, "send-keys", "C-c"); // Ctrl-C ends the seeding, which announces stopped
                awaitScreen(socket, "Bye.");
            } finally {
                tmux(socket, "kill-server");
            }
            assertThat(Files.mismatch(share.resolve("song.bin"), work.resolve("downloads/share/song.bin"))).isEqualTo(-1);
            seeder.type("7", "2");
            assertThat(seeder.exit(STEP)).isZero();
        }
    }

    /**
     * A node menu in a new tmux session ({@code socket}) working in {@code work}: it points
     * Settings at the tracker and listen port, registers {@code user} (typing the password with
     * echo off) and waits for the logged-in menu. The pane outlives the node by 30 s for the last
     * screen reads.
     */
    static void startRegistered(String socket, Path tmp, Path work, String tracker, int port, String user) throws Exception {
        String command = "cd " + work + " && XDG_CONFIG_HOME=" + MenuPipedIT.dir(tmp, work.getFileName() + "-config")
                + " " + MenuProcesses.JAVA + " -jar " + MenuProcesses.HOME.resolve("node.jar") + "; sleep 30";
        tmux(socket, "new-session", "-d", "-x", "160", "-y", "50", command);
        awaitScreen(socket, "Choose 1-4");
        keys(socket, MenuPipedIT.settings(tracker, port));
        keys(socket, "1");
        awaitScreen(socket, "Username");
        keys(socket, user);
        awaitScreen(socket, "Password:");
        keys(socket, user + "-password");
        awaitScreen(socket, "Password again");
        keys(socket, user + "-password");
        awaitScreen(socket, "Logged in as " + user + " at");
    }

    static String awaitScreen(String socket, String text) throws Exception {
        return awaitScreen(socket, text, null);
    }

    /** Waits for {@code text} on the screen, after the last {@code after} when that is given. */
    static String awaitScreen(String socket, String text, String after) throws Exception {
        String[] screen = {""};
        boolean shown = Eventually.within(STEP, Duration.ofMillis(200), () -> { // each look starts a tmux process
            screen[0] = after == null ? tmux(socket, "capture-pane", "-p", "-S", "-200") : lastScreen(socket, after);
            return screen[0].contains(text);
        });
        if (!shown) {
            throw new AssertionError("'" + text + "' never appeared; screen:\n" + tmux(socket, "capture-pane", "-p", "-S", "-200"));
        }
        return screen[0];
    }

    /** The screen from the last {@code marker} on (a live table is redrawn in place; older copies stay above it). */
    static String lastScreen(String socket, String marker) throws Exception {
        String screen = tmux(socket, "capture-pane", "-p", "-S", "-200");
        int at = screen.lastIndexOf(marker);
        return at < 0 ? "" : screen.substring(at);
    }

    static void keys(String socket, String... lines) throws Exception {
        for (String line : lines) {
            tmux(socket, "send-keys", "-l", line);
            tmux(socket, "send-keys", "Enter");
            Thread.sleep(150); // let the menu draw its next prompt before the next answer
        }
    }

    static String tmux(String socket, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux " + String.join(" ", args) + " hung");
        }
        return out;
    }
}
