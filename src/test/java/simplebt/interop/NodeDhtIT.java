package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.dht.DhtNode;
import simplebt.dht.DhtOptions;
import simplebt.dht.TableFile;

/**
 * `node seed` and `node download` processes with no tracker and no --peer: the seeder announces
 * itself on the DHT (a loopback node of ours is the bootstrap), the leecher finds it there.
 */
@Timeout(150)
class NodeDhtIT {
    @TempDir
    Path tmp;

    /** The node command with its config dir (dht.dat) inside the test's folder, never the user's. */
    private List<String> node(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "XDG_CONFIG_HOME=" + tmp.resolve("config-" + args[0])));
        cmd.addAll(Interop.node(args));
        return cmd;
    }

    @Test
    void nodeFindsASeederThroughTheDhtAloneAndKeepsItsTable() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DhtNode bootstrap = DhtNode.start(new DhtOptions(loopback, 0, List.of(), null, Duration.ofSeconds(1),
                Duration.ofMinutes(20), Duration.ofSeconds(30)))) {
            String boot = "127.0.0.1:" + bootstrap.port();
            Path content = Interop.content(tmp.resolve("seed"), false, 31);
            Interop.torrent(content, tmp.resolve("t.torrent"), null); // no tracker in the torrent
            try (Interop.Proc seeder = new Interop.Proc(node("seed", "t.torrent", "--data", "seed", "--port", "0",
                    "--bind", "127.0.0.1", "--no-tracker", "--dht-bootstrap", boot, "--debug"), tmp)) {
                seeder.await(l -> l.contains("dht:") && l.contains("announced to") && !l.contains("announced to 0"),
                        Duration.ofSeconds(30));
                try (Interop.Proc leecher = new Interop.Proc(node("download", "t.torrent", "--out", "out", "--port", "0",
                        "--bind", "127.0.0.1", "--no-tracker", "--dht-bootstrap", boot), tmp)) {
                    assertThat(leecher.exit(Duration.ofSeconds(90))).as(leecher.output()).isZero();
                    assertThat(leecher.output()).contains("done: single.bin");
                }
                seeder.process.destroy();
                assertThat(seeder.exit(Duration.ofSeconds(20))).as(seeder.output()).isZero();
            }
            Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
            assertThat(tmp.resolve("config-download/simplebt").resolve(TableFile.NAME)).exists();
            assertThat(TableFile.load(tmp.resolve("config-download/simplebt").resolve(TableFile.NAME)).orElseThrow().nodes())
                    .contains(new simplebt.dht.NodeInfo(bootstrap.id(), new InetSocketAddress(loopback, bootstrap.port())));
        }
    }
}
