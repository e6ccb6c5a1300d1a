package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download from the menu with piped input, choosing files: alice seeds a folder of three files,
 * bob picks "Choose files" and answers {@code 1,3}; he gets those two, byte for byte, and the
 * third is not in his folder.
 */
class MenuFilePickerIT {
    private static final Duration STEP = Duration.ofSeconds(60);

    @Test
    void bobChoosesTwoOfThreeFiles(@TempDir Path tmp) throws Exception {
        Path share = tmp.resolve("alice/share");
        MenuProcesses.writeRandom(share.resolve("a.bin"), 30_000, 1);
        MenuProcesses.writeRandom(share.resolve("b.txt"), 20_001, 2);
        MenuProcesses.writeRandom(share.resolve("c/d.bin"), 50_000, 3);
        try (MenuProcesses procs = new MenuProcesses()) {
            String tracker = procs.startTracker(tmp.resolve("tracker-data"));
            MenuProcesses.Piped alice = procs.startMenu(MenuPipedIT.dir(tmp, "alice"), MenuPipedIT.dir(tmp, "alice-config"));
            alice.type(MenuPipedIT.settings(tracker, MenuProcesses.freePort()));
            alice.type("1", "alice", "alice-password", "alice-password", "1", share.toString());
            alice.await("Seeding share; Transfers shows it.", STEP);

            MenuProcesses.Piped bob = procs.startMenu(MenuPipedIT.dir(tmp, "bob"), MenuPipedIT.dir(tmp, "bob-config"));
            bob.type(MenuPipedIT.settings(tracker, MenuProcesses.freePort()));
            bob.type("1", "bob", "bob-password", "bob-password");
            bob.type("2", "1", "y", "2", "1,3");
            bob.await("Downloading share into downloads; Transfers shows its progress.", STEP);
            MenuPipedIT.awaitTransfers(bob, "1\\s+share\\s.*100\\.0%.*seeding");
            bob.type("7", "2"); // Exit, stop everything
            assertThat(bob.exit(STEP)).isZero();

            String screen = bob.output();
            assertThat(screen).contains("1) All files", "2) Choose files", "Files to download (e.g. 1,3-5)");
            assertThat(screen).containsPattern("1\\s+a\\.bin\\s+29\\.3 KiB").containsPattern("2\\s+b\\.txt\\s+19\\.5 KiB")
                    .containsPattern("3\\s+c/d\\.bin\\s+48\\.8 KiB");
            Path got = tmp.resolve("bob/downloads/share");
            assertThat(Files.mismatch(share.resolve("a.bin"), got.resolve("a.bin"))).isEqualTo(-1);
            assertThat(Files.mismatch(share.resolve("c/d.bin"), got.resolve("c/d.bin"))).isEqualTo(-1);
            assertThat(got.resolve("b.txt")).doesNotExist();

            alice.type("7", "2");
            assertThat(alice.exit(STEP)).isZero();
        }
    }
}
