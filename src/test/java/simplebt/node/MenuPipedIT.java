package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.testing.Eventually;

/**
 * The menu driven with piped input (no terminal) against a real tracker: alice registers and
 * seeds a folder, bob registers, picks it from the table and downloads it; the bytes match.
 * Seed and Download return to the menu at once; Transfers lists what runs; Exit stops it.
 */
class MenuPipedIT {
    private static final Duration STEP = Duration.ofSeconds(60);

    @Test
    void registerSeedAndDownloadThroughTheMenu(@TempDir Path tmp) throws Exception {
        Path share = tmp.resolve("alice/share");
        MenuProcesses.writeRandom(share.resolve("movie.bin"), 1_500_000, 1);
        MenuProcesses.writeRandom(share.resolve("extras/notes.txt"), 5_000, 2);
        try (MenuProcesses procs = new MenuProcesses()) {
            String tracker = procs.startTracker(tmp.resolve("tracker-data"));
            MenuProcesses.Piped alice = procs.startMenu(dir(tmp, "alice"), dir(tmp, "alice-config"));
            alice.type(settings(tracker, MenuProcesses.freePort()));
            alice.type("1", "alice", "alice-password", "alice-password");
            alice.await("Logged in as alice.", STEP);
            alice.type("1", tmp.resolve("alice/missing").toString(), share.toString());
            alice.await("No such file or folder", STEP);
            alice.await("Seeding share; Transfers shows it.", STEP);

            MenuProcesses.Piped bob = procs.startMenu(dir(tmp, "bob"), dir(tmp, "bob-config"));
            bob.type(settings(tracker, MenuProcesses.freePort()));
            bob.type("1", "bob", "bob-password", "bob-password");
            bob.type("2", "1", "y", "1"); // the torrent, yes, All files
            bob.await("Downloading share into downloads; Transfers shows its progress.", STEP);
            bob.type("2", "1", "y"); // the same again: refused before "start over?" could delete its files
            bob.await("share is in Transfers already.", STEP);
            bob.type("4"); // My torrents, while the download runs
            String done = awaitTransfers(bob, "1\\s+share\\s+1\\.4 MiB\\s+100\\.0%.*seeding");
            assertThat(done).contains("No.  Name   Size     Progress  Down", "Peers  Ratio  State");
            bob.type("7", "2"); // Exit, stop everything
            bob.await("Stopping 1 torrent (telling the tracker)...", STEP);
            assertThat(bob.exit(STEP)).isZero();

            String screen = bob.output();
            assertThat(screen).contains("No.", "Name", "Size", "Uploaded by", "Date", "Seeders", "Leechers", "Completed");
            assertThat(screen).containsPattern("1\\s+share\\s+1\\.4 MiB\\s+alice");
            assertThat(screen).contains("You have not uploaded any torrents yet.");
            assertThat(screen).contains("1 torrent is still running. On exit:", "Bye.").doesNotContain("Starting over.", "Resume it?");
            assertThat(Files.mismatch(share.resolve("movie.bin"), tmp.resolve("bob/downloads/share/movie.bin"))).isEqualTo(-1);
            // The menu's download is in the node's torrent list (so `serve` runs it), with its data
            // folder and the bytes it received, saved as the menu stopped.
            java.util.List<simplebt.library.LibraryEntry> listed =
                    new simplebt.library.TorrentLibrary(tmp.resolve("bob-config/simplebt")).load().entries();
            assertThat(listed).singleElement().satisfies(e -> {
                assertThat(e.name()).isEqualTo("share");
                assertThat(e.dataDir()).isEqualTo(tmp.resolve("bob/downloads").toAbsolutePath());
                assertThat(e.paused()).isFalse();
                assertThat(e.downloaded()).isGreaterThanOrEqualTo(Files.size(share.resolve("movie.bin")));
            });
            assertThat(Files.mismatch(share.resolve("extras/notes.txt"),
                    tmp.resolve("bob/downloads/share/extras/notes.txt"))).isEqualTo(-1);

            alice.type("4"); // My torrents
            // alice sent bob every byte: her ratio (uploaded over the size she holds) is at least 1
            awaitTransfers(alice, "1\\s+share\\s+1\\.4 MiB\\s+100\\.0%.*\\s[1-9]\\.\\d\\d\\s+seeding");
            alice.type("5", "3", Integer.toString(MenuProcesses.freePort()), "8"); // Settings, a new listen port, Back
            alice.await("Running torrents keep port ", STEP);
            alice.type("7", "2");
            alice.await("Bye.", STEP);
            assertThat(alice.exit(STEP)).isZero();
            assertThat(alice.output()).containsPattern("1\\s+share\\s+1\\.4 MiB\\s+\\d{4}-\\d\\d-\\d\\d");
            assertThat(tmp.resolve("alice/torrents/share.torrent")).exists();
            assertThat(Files.readString(tmp.resolve("alice-config/simplebt/config.json"))).contains("\"username\": \"alice\"");
        }
    }

    @Test
    void errorsAreOneLineAndTheMenuGoesOn(@TempDir Path tmp) throws Exception {
        try (MenuProcesses procs = new MenuProcesses()) {
            String tracker = procs.startTracker(tmp.resolve("tracker-data"));
            MenuProcesses.Piped carol = procs.startMenu(dir(tmp, "carol"), dir(tmp, "carol-config"));
            carol.type(settings(tracker, MenuProcesses.freePort()));
            carol.type("2", "nobody", "wrong-password");      // log in to a missing account
            carol.type("1", "carol", "carol-password", "other"); // passwords differ
            carol.type("3", "5", "500k", "4M", "8");             // rate limits, for all torrents together
            carol.type("9", "4");                                // out of range, then Exit
            assertThat(carol.exit(STEP)).isZero();
            String screen = carol.output();
            assertThat(screen).containsPattern("(?m)^error: .+$");
            assertThat(screen).contains("error: the passwords differ; nothing was created");
            assertThat(screen).contains("Please type a number from 1 to 4.");
            assertThat(screen).doesNotContain("Exception", "\tat ");
            assertThat(screen).containsPattern("Upload limit\\s+500 KiB/s").containsPattern("Download limit\\s+4\\.0 MiB/s");
            assertThat(Files.readString(tmp.resolve("carol-config/simplebt/config.json")))
                    .contains("\"maxUploadRate\": 512000", "\"maxDownloadRate\": 4194304");
        }
    }

    /**
     * Lists Transfers (item 3, then Enter to go back) until a row matches; returns that listing.
     * A download or a tracker's reply takes a moment, so it asks again every half second.
     */
    static String awaitTransfers(MenuProcesses.Piped node, String rowPattern) throws Exception {
        java.util.regex.Pattern row = java.util.regex.Pattern.compile(rowPattern);
        String[] listing = {""};
        boolean found = Eventually.within(STEP, Duration.ofMillis(500), () -> { // each look is a step through the menu
            int from = node.output().length();
            node.type("3", "");
            node.await("Number to manage (empty to go back)", STEP, from);
            listing[0] = node.output().substring(from);
            return row.matcher(listing[0]).find();
        });
        if (!found) {
            throw new AssertionError("no Transfers row like " + rowPattern + "; output:\n" + node.output());
        }
        return listing[0];
    }

    /** Settings: tracker URL, then listen port, then back. */
    static String[] settings(String tracker, int port) {
        return new String[] {"3", "1", tracker, "3", Integer.toString(port), "8"}; // 8: Back
    }

    static Path dir(Path tmp, String name) throws java.io.IOException {
        return Files.createDirectories(tmp.resolve(name));
    }
}
