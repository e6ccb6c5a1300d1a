package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static simplebt.node.MenuTmuxIT.awaitScreen;
import static simplebt.node.MenuTmuxIT.keys;
import static simplebt.node.MenuTmuxIT.lastScreen;
import static simplebt.node.MenuTmuxIT.tmux;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.testing.Eventually;

/**
 * Issue 15's menu test, in a real terminal (tmux): erin seeds two files from the menu and
 * downloads a third from dave (a second node, piped) while they seed, all in one node process
 * on one port. Transfers shows the three rows. A slow libtorrent leecher keeps a connection to
 * erin's first torrent, so pausing it shows on screen as "paused" with 0 peers; after resume
 * the row is seeding again and the leecher is back, listed among the torrent's peers.
 */
class MenuTransfersTmuxIT {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String TABLE = "Transfers on port";

    @Test
    void seedTwoDownloadAThirdPauseAndResumeOne(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux not installed (scripts/install-deps.sh installs it): skipping the terminal test");
        assumeTrue(libtorrentAvailable(), "python3-libtorrent not installed (scripts/install-deps.sh installs it): skipping the pause test");
        Path erinShare = tmp.resolve("erin/share");
        MenuProcesses.writeRandom(erinShare.resolve("a.bin"), 4_000_000, 21);
        MenuProcesses.writeRandom(erinShare.resolve("b.bin"), 1_000_000, 22);
        Path daveShare = tmp.resolve("dave/share");
        MenuProcesses.writeRandom(daveShare.resolve("c.bin"), 1_500_000, 23);
        String socket = "sbt-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Process leecher = null;
        try (MenuProcesses procs = new MenuProcesses()) {
            String tracker = procs.startTracker(tmp.resolve("tracker-data"));
            MenuProcesses.Piped dave = procs.startMenu(MenuPipedIT.dir(tmp, "dave"), MenuPipedIT.dir(tmp, "dave-config"));
            dave.type(MenuPipedIT.settings(tracker, MenuProcesses.freePort()));
            dave.type("1", "dave", "dave-password", "dave-password", "1", daveShare.resolve("c.bin").toString());
            dave.await("Seeding c.bin; Transfers shows it.", STEP);

            Path work = MenuPipedIT.dir(tmp, "erin");
            int port = MenuProcesses.freePort();
            MenuTmuxIT.startRegistered(socket, tmp, work, tracker, port, "erin");
            try {
                keys(socket, "1", erinShare.resolve("a.bin").toString());
                awaitScreen(socket, "Seeding a.bin; Transfers shows it.");
                keys(socket, "1", erinShare.resolve("b.bin").toString());
                awaitScreen(socket, "Seeding b.bin; Transfers shows it."); // back at the menu at once: no Ctrl-C needed
                keys(socket, "2");
                Matcher row = Pattern.compile("(\\d+)\\s+c\\.bin\\s+1\\.4 MiB\\s+dave").matcher(awaitScreen(socket, "Number to download"));
                assertThat(row.find()).isTrue();
                keys(socket, row.group(1), "y");
                awaitScreen(socket, "Downloading c.bin into downloads; Transfers shows its progress.");

                // a leecher of a.bin at 8 KiB/s: connected for minutes, so the row has a peer to lose
                leecher = new ProcessBuilder("/usr/bin/python3",
                        MenuProcesses.HOME.resolve("src/test/resources/menu/lt_slow_leecher.py").toString(),
                        work.resolve("torrents/a.bin.torrent").toString(), MenuPipedIT.dir(tmp, "leecher").toString(),
                        "127.0.0.1:" + port, "8192").redirectErrorStream(true).start();
                Connections connections = new Connections(leecher);
                connections.await(1);

                keys(socket, "3");
                String a = "1\\s+a\\.bin\\s+3\\.8 MiB\\s+100\\.0%\\s+\\S+ \\S+\\s+\\S+ \\S+\\s+";
                String table = awaitRows(socket,
                        a + "1\\s+\\d\\.\\d\\d\\s+seeding",
                        "2\\s+b\\.bin\\s+977 KiB\\s+100\\.0%.*seeding",
                        "3\\s+c\\.bin\\s+1\\.4 MiB\\s+100\\.0%.*seeding");
                assertThat(table).contains("No.", "Name", "Size", "Progress", "Down", "Up", "Peers", "Ratio", "State");
                assertThat(table.lines().filter(l -> l.matches("^[> ] +\\d+ .*"))).hasSize(3);

                keys(socket, "1"); // pick a.bin
                awaitScreen(socket, "a.bin: seeding");
                keys(socket, "1"); // Pause
                awaitScreen(socket, "Paused a.bin.");
                awaitRows(socket, a + "0\\s+\\d\\.\\d\\d\\s+paused");

                keys(socket, "1");
                awaitScreen(socket, "a.bin: paused");
                keys(socket, "1"); // Resume
                awaitScreen(socket, "Resuming a.bin.");
                awaitRows(socket, a + "\\d+\\s+\\d\\.\\d\\d\\s+seeding");
                connections.await(2); // the leecher is let in again
                awaitRows(socket, a + "1\\s+\\d\\.\\d\\d\\s+seeding");

                keys(socket, "1", "4"); // a.bin's peers: the libtorrent leecher, which dialed us
                awaitScreen(socket, "a.bin: seeding");
                String peers = awaitScreen(socket, "Address", "a.bin: seeding");
                assertThat(peers).containsPattern("127\\.0\\.0\\.1:\\d+\\s+-LT\\w{4}-\\s+in\\s+");
                keys(socket, "3", "3"); // c.bin's files
                String files = awaitScreen(socket, "File", "c.bin: seeding");
                assertThat(files).containsPattern("1\\s+c\\.bin\\s+1\\.4 MiB\\s+100\\.0%");
                awaitScreen(socket, "q goes back", TABLE);

                tmux(socket, "send-keys", "q");
                awaitScreen(socket, "Logged in as erin at", "(refreshed every second)");
                keys(socket, "7");
                awaitScreen(socket, "3 torrents are still running. On exit:");
                keys(socket, "2"); // stop everything
                awaitScreen(socket, "Stopping 3 torrents (telling the tracker)...");
                awaitScreen(socket, "Bye.");
            } finally {
                tmux(socket, "kill-server");
            }
            assertThat(Files.mismatch(daveShare.resolve("c.bin"), work.resolve("downloads/c.bin"))).isEqualTo(-1);
            dave.type("7", "2");
            assertThat(dave.exit(STEP)).isZero();
        } finally {
            if (leecher != null) {
                leecher.destroy();
                if (!leecher.waitFor(10, TimeUnit.SECONDS)) {
                    leecher.destroyForcibly();
                }
            }
        }
    }

    /** Waits until the newest live table has a row matching each pattern; returns that table. */
    private static String awaitRows(String socket, String... rows) throws Exception {
        String[] table = {""};
        boolean shown = Eventually.within(STEP, Duration.ofMillis(200), () -> { // each look starts a tmux process
            table[0] = lastScreen(socket, TABLE);
            return java.util.Arrays.stream(rows).allMatch(r -> Pattern.compile(r).matcher(table[0]).find());
        });
        if (!shown) {
            throw new AssertionError("rows " + String.join(" | ", rows) + " never all showed; table:\n" + table[0]);
        }
        return table[0];
    }

    private static boolean libtorrentAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import libtorrent").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Counts the leecher's CONNECTED lines. */
    private static final class Connections {
        private final AtomicInteger count = new AtomicInteger();
        private final StringBuffer output = new StringBuffer();

        Connections(Process leecher) {
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(leecher.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        output.append(line).append('\n');
                        if (line.equals("CONNECTED")) {
                            count.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException e) {
                    // the leecher ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void await(int n) throws InterruptedException {
            MenuProcesses.waitFor(() -> count.get() >= n, STEP, "the libtorrent leecher's connection " + n + "; its output:\n" + output);
        }
    }
}
