package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.dht.DhtNode;
import simplebt.dht.DhtOptions;
import simplebt.dht.NodeInfo;
import simplebt.dht.TableFile;
import simplebt.testing.Eventually;
import simplebt.trackerclient.TrackerStub;

/**
 * Ctrl-C while the menu's Download is still fetching a pasted magnet link's metadata (the swarm
 * is silent) ends the menu as a stop anywhere else does: the link's tracker hears
 * {@code stopped} for the fetch's announce, and the DHT table learnt so far is saved. Before,
 * the menu's shutdown hook closed the host and the DHT while the fetch went on, so the fetch's
 * tracker entry was never stopped (the command-line path has this in MagnetFetchStopIT).
 */
@Timeout(180)
class MenuMagnetStopIT {
    private static final Duration STEP = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void ctrlCDuringTheMenusMetadataFetchSendsStoppedAndSavesTheDhtTable() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        byte[] hash = new byte[20];
        new Random(11).nextBytes(hash);
        String hex = HexFormat.of().formatHex(hash);
        Path share = tmp.resolve("bob/share");
        MenuProcesses.writeRandom(share.resolve("a.bin"), 100_000, 6);
        try (TrackerStub stub = new TrackerStub(); // lists nobody else: the fetch waits
             DhtNode bootstrap = DhtNode.start(dhtOn(loopback, List.of()));
             MenuProcesses procs = new MenuProcesses()) {
            String tracker = procs.startTracker(tmp.resolve("tracker-data"));
            int port = MenuProcesses.freePort(); // the menu's DHT takes the listen port
            // SIGINT at its default even if the test runner was started with it ignored (a
            // background job), as in a terminal: the menu's own handler then takes it
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/env", "--default-signal=INT", MenuProcesses.JAVA, "-jar",
                    MenuProcesses.HOME.resolve("node.jar").toString())
                    .directory(MenuPipedIT.dir(tmp, "bob").toFile()).redirectErrorStream(true);
            pb.environment().putAll(Map.of("XDG_CONFIG_HOME", tmp.resolve("bob-config").toString(), "SIMPLEBT_TTY", "0",
                    "SIMPLEBT_DHT_BOOTSTRAP", "127.0.0.1:" + bootstrap.port()));
            Process process = pb.start();
            try {
                MenuProcesses.Piped bob = new MenuProcesses.Piped(process);
                bob.type(MenuPipedIT.settings(tracker, port));
                bob.type("1", "bob", "bob-password", "bob-password");
                bob.await("Logged in as bob.", STEP);
                bob.type("1", share.toString()); // Download needs a row on the tracker's table
                bob.await("Seeding share; Transfers shows it.", STEP);
                bob.type("2", "magnet:?xt=urn:btih:" + hex + "&tr=" + stub.announceUrl());
                bob.await("Getting the torrent's metadata", STEP);
                assertThat(Eventually.within(STEP, () -> stub.seen().stream().anyMatch(s -> s.infoHashHex().equals(hex))))
                        .as("the fetch announced; " + bob.output()).isTrue();
                Path table = tmp.resolve("bob-config/simplebt").resolve(TableFile.NAME);
                // the DHT saves its table once it has joined; a node met after that is in the
                // file only if the table is saved again when the menu stops
                assertThat(Eventually.within(Duration.ofSeconds(30), () -> Files.exists(table))).as("first save").isTrue();
                NodeInfo later;
                try (DhtNode laterNode = DhtNode.start(dhtOn(loopback, List.of(new InetSocketAddress(loopback, port))))) {
                    laterNode.bootstrap(); // answered: the menu's node has handled its query
                    later = new NodeInfo(laterNode.id(), new InetSocketAddress(loopback, laterNode.port()));
                    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
                    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -INT").isTrue();
                    assertThat(bob.exit(STEP)).as(bob.output()).isEqualTo(130);
                }
                assertThat(stub.seen()).as(bob.output())
                        .anyMatch(s -> s.infoHashHex().equals(hex) && s.event().equals("stopped"));
                assertThat(TableFile.load(table).orElseThrow().nodes()).as(bob.output()).contains(later);
                assertThat(bob.output()).as("a stop the user asked for is no error").doesNotContain("error");
            } finally {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static DhtOptions dhtOn(InetAddress loopback, List<InetSocketAddress> bootstrap) {
        return new DhtOptions(loopback, 0, bootstrap, null, Duration.ofSeconds(1), Duration.ofMinutes(20), Duration.ofSeconds(30));
    }
}
