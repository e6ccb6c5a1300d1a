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

/**
 * The menu through a real terminal: tmux runs the node, send-keys types, capture-pane reads
 * the screen. A piped node seeds; the terminal node registers, picks the torrent from the
 * table and downloads it; the screen shows the table and the finished bar.
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
            seeder.await("Press Enter (or Ctrl-C) to stop.", STEP);

            Path work = MenuPipedIT.dir(tmp, "term");
            String command = "cd " + work + " && XDG_CONFIG_HOME=" + MenuPipedIT.dir(tmp, "term-config")
                    + " " + MenuProcesses.JAVA + " -jar " + MenuProcesses.HOME.resolve("node.jar") + "; sleep 30";
            tmux(socket, "new-session", "-d", "-x", "150", "-y", "50", command);
            try {
                awaitScreen(socket, "Choose 1-4");
                keys(socket, MenuPipedIT.settings(tracker, MenuProcesses.freePort()));
                keys(socket, "1");
                awaitScreen(socket, "Username");
                keys(socket, "erin");
                awaitScreen(socket, "Password:");
                keys(socket, "erin-password");
                awaitScreen(socket, "Password again");
                keys(socket, "erin-password");
                awaitScreen(socket, "Logged in as erin at");
                keys(socket, "2");
                awaitScreen(socket, "Number to download");
                keys(socket, "1", "y");
                String screen = awaitScreen(socket, "Keep seeding?");
                assertThat(screen).contains("No.", "Uploaded by", "Seeders", "Leechers", "Completed");
                assertThat(screen).containsPattern("1\\s+share\\s+781 KiB\\s+dave");
                assertThat(screen).contains("[##############################] downloading 100.0%");
                assertThat(screen).doesNotContain("erin-password"); // typed with echo off
                keys(socket, "y");
                awaitScreen(socket, "Press Enter (or Ctrl-C) to stop.");
                tmux(socket, "send-keys", "C-c"); // Ctrl-C stops the transfer, not the program
                awaitScreen(socket, "Stopped seeding.");
                keys(socket, "6");
                awaitScreen(socket, "Bye.");
            } finally {
                tmux(socket, "kill-server");
            }
            assertThat(Files.mismatch(share.resolve("song.bin"), work.resolve("downloads/share/song.bin"))).isEqualTo(-1);
            seeder.type("", "6");
            assertThat(seeder.exit(STEP)).isZero();
        }
    }

    private static String awaitScreen(String socket, String text) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = tmux(socket, "capture-pane", "-p", "-S", "-200");
            if (screen.contains(text)) {
                return screen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("'" + text + "' never appeared; screen:\n" + screen);
    }

    private static void keys(String socket, String... lines) throws Exception {
        for (String line : lines) {
            tmux(socket, "send-keys", "-l", line);
            tmux(socket, "send-keys", "Enter");
            Thread.sleep(150); // let the menu draw its next prompt before the next answer
        }
    }

    private static String tmux(String socket, String... args) throws IOException, InterruptedException {
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
