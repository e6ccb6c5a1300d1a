package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.magnet.MagnetLink;
import simplebt.metainfo.Metainfo;

/** The menu's Download takes a pasted magnet link where it takes a row number (piped input, real tracker). */
class MenuMagnetIT {
    private static final Duration STEP = Duration.ofSeconds(60);

    @Test
    void bobPastesAMagnetLinkToAlicesSeedAndGetsTheFiles(@TempDir Path tmp) throws Exception {
        Path share = tmp.resolve("alice/share");
        MenuProcesses.writeRandom(share.resolve("movie.bin"), 900_000, 3);
        try (MenuProcesses procs = new MenuProcesses()) {
            String tracker = procs.startTracker(tmp.resolve("tracker-data"));
            int alicePort = MenuProcesses.freePort();
            MenuProcesses.Piped alice = procs.startMenu(MenuPipedIT.dir(tmp, "alice"), MenuPipedIT.dir(tmp, "alice-config"));
            alice.type(MenuPipedIT.settings(tracker, alicePort));
            alice.type("1", "alice", "alice-password", "alice-password");
            alice.await("Logged in as alice.", STEP);
            alice.type("1", share.toString());
            alice.await("Seeding share; Transfers shows it.", STEP);
            Metainfo meta = Metainfo.read(tmp.resolve("alice/torrents/share.torrent"));
            // no tracker in the link: the metadata and the data come from alice's x.pe address alone
            String link = new MagnetLink(meta.infoHash(), Optional.of("share"), List.of(),
                    List.of(new InetSocketAddress("127.0.0.1", alicePort))).toUri();

            MenuProcesses.Piped bob = procs.startMenu(MenuPipedIT.dir(tmp, "bob"), MenuPipedIT.dir(tmp, "bob-config"));
            bob.type(MenuPipedIT.settings(tracker, MenuProcesses.freePort()));
            bob.type("1", "bob", "bob-password", "bob-password");
            bob.type("2", "magnet:?xt=urn:btih:123"); // a bad link: one line, asked again
            bob.await("magnet link info hash (xt) must be 40 hex or 32 base32 characters, got 3", STEP);
            bob.type(link); // one file: no file picker
            bob.await("Downloading share into downloads; Transfers shows its progress.", STEP);
            MenuPipedIT.awaitTransfers(bob, "1\\s+share\\s+879 KiB\\s+100\\.0%.*seeding");
            bob.type("7", "2");
            bob.await("Bye.", STEP);
            assertThat(bob.exit(STEP)).isZero();
            alice.type("7", "2");
            alice.await("Bye.", STEP);
        }
        assertThat(Files.mismatch(share.resolve("movie.bin"), tmp.resolve("bob/downloads/share/movie.bin"))).isEqualTo(-1);
        assertThat(Metainfo.read(tmp.resolve("bob/torrents/share.torrent")).info().name()).isEqualTo("share");
    }

    /**
     * A link with only the info hash of a public torrent that a `node seed` process announced on
     * a loopback DHT: the menu's Download finds the seeder through the menu's DHT node alone.
     */
    @Test
    void bobPastesALinkWithOnlyTheInfoHashAndTheMenusDhtFindsTheSeeder(@TempDir Path tmp) throws Exception {
        Path share = tmp.resolve("alice/share");
        MenuProcesses.writeRandom(share.resolve("movie.bin"), 300_000, 4);
        Path pub = tmp.resolve("pub");
        MenuProcesses.writeRandom(pub.resolve("public.bin"), 700_000, 5);
        Files.write(tmp.resolve("public.torrent"), new simplebt.metainfo.TorrentBuilder(pub.resolve("public.bin"))
                .pieceLength(65536).build(n -> { })); // no tracker, not private
        Metainfo publicMeta = Metainfo.read(tmp.resolve("public.torrent"));
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        try (simplebt.dht.DhtNode boot = simplebt.dht.DhtNode.start(new simplebt.dht.DhtOptions(loopback, 0, List.of(), null,
                Duration.ofSeconds(1), Duration.ofMinutes(20), Duration.ofSeconds(30)));
             MenuProcesses procs = new MenuProcesses()) {
            String dht = "127.0.0.1:" + boot.port();
            String tracker = procs.startTracker(tmp.resolve("tracker-data"));
            // alice only puts a torrent on the tracker: the menu's Download needs a table to show
            MenuProcesses.Piped alice = procs.startMenu(MenuPipedIT.dir(tmp, "alice"), MenuPipedIT.dir(tmp, "alice-config"));
            alice.type(MenuPipedIT.settings(tracker, MenuProcesses.freePort()));
            alice.type("1", "alice", "alice-password", "alice-password");
            alice.await("Logged in as alice.", STEP);
            alice.type("1", share.toString());
            alice.await("Seeding share; Transfers shows it.", STEP);

            ProcessBuilder seed = new ProcessBuilder(MenuProcesses.JAVA, "-jar", MenuProcesses.HOME.resolve("node.jar").toString(),
                    "seed", tmp.resolve("public.torrent").toString(), "--data", pub.toString(), "--port", "0", "--bind", "127.0.0.1",
                    "--no-tracker", "--dht-bootstrap", dht, "--debug").directory(tmp.toFile()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("seed.log").toFile());
            seed.environment().put("XDG_CONFIG_HOME", tmp.resolve("seed-config").toString());
            Process seeder = seed.start();
            try {
                MenuProcesses.waitFor(() -> {
                    try {
                        return Files.readString(tmp.resolve("seed.log")).matches("(?s).*announced to [1-9].*");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }, STEP, "the seeder to announce on the DHT");

                MenuProcesses.Piped bob = procs.startMenu(MenuPipedIT.dir(tmp, "bob"), MenuPipedIT.dir(tmp, "bob-config"),
                        java.util.Map.of("SIMPLEBT_DHT_BOOTSTRAP", dht));
                bob.type(MenuPipedIT.settings(tracker, MenuProcesses.freePort()));
                bob.type("1", "bob", "bob-password", "bob-password");
                bob.type("2", "magnet:?xt=urn:btih:" + publicMeta.infoHash().hex());
                bob.await("Downloading public.bin into downloads; Transfers shows its progress.", STEP);
                MenuPipedIT.awaitTransfers(bob, "public\\.bin\\s+684 KiB\\s+100\\.0%.*seeding");
                bob.type("7", "2");
                bob.await("Bye.", STEP);
                assertThat(bob.exit(STEP)).isZero();
            } finally {
                seeder.destroy();
            }
            alice.type("7", "2");
            alice.await("Bye.", STEP);
        }
        assertThat(Files.mismatch(pub.resolve("public.bin"), tmp.resolve("bob/downloads/public.bin"))).isEqualTo(-1);
    }
}
