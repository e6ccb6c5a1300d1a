package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
 * Ctrl-C while `node download MAGNET` is still fetching the metadata (the swarm is silent) ends
 * the node as a stop anywhere else does: the link's tracker hears {@code stopped} for the
 * fetch's announce, and the DHT routing table learnt so far is saved. Before, no shutdown hook
 * existed until the metadata came, so the JVM just exited: the tracker kept listing a peer that
 * was gone and the table lost every node met since the DHT's first save.
 */
@Timeout(120)
class MagnetFetchStopIT {
    @TempDir
    Path tmp;

    @Test
    void ctrlCDuringTheMetadataFetchSendsStoppedAndSavesTheDhtTable() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        byte[] hash = new byte[20];
        new Random(7).nextBytes(hash);
        String hex = HexFormat.of().formatHex(hash);
        try (TrackerStub tracker = new TrackerStub(); // lists nobody else: the fetch waits
             DhtNode bootstrap = DhtNode.start(dhtOn(loopback, List.of()))) {
            int dhtPort;
            try (DatagramSocket free = new DatagramSocket(0, loopback)) {
                dhtPort = free.getLocalPort();
            }
            String magnet = "magnet:?xt=urn:btih:" + hex + "&tr=" + tracker.announceUrl();
            // SIGINT at its default even if the test runner was started with it ignored (a
            // background job), as in a terminal: the JVM then runs its shutdown hooks on it
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=INT",
                    "XDG_CONFIG_HOME=" + tmp.resolve("config")));
            cmd.addAll(Interop.node("download", magnet, "--out", "out", "--port", "0", "--bind", "127.0.0.1",
                    "--dht-port", Integer.toString(dhtPort), "--dht-bootstrap", "127.0.0.1:" + bootstrap.port(), "--debug"));
            Files.createDirectories(tmp.resolve("work"));
            Path table = tmp.resolve("config/simplebt").resolve(TableFile.NAME);
            try (Interop.Proc node = new Interop.Proc(cmd, tmp.resolve("work"))) {
                // the DHT is asked once the tracker has had DHT_GRACE (3 s) to answer: the
                // fetch's first announce has had its reply by then
                node.await(l -> l.contains("looking for peers on the DHT"), Duration.ofSeconds(60));
                assertThat(tracker.seen()).as("the fetch announced").anyMatch(s -> s.infoHashHex().equals(hex));
                // the DHT saves its table once it has joined; a node met after that is in the
                // file only if the table is saved again when the node stops
                assertThat(Eventually.within(Duration.ofSeconds(30), () -> Files.exists(table))).as("first save").isTrue();
                NodeInfo later;
                try (DhtNode laterNode = DhtNode.start(dhtOn(loopback, List.of(new InetSocketAddress(loopback, dhtPort))))) {
                    laterNode.bootstrap(); // answered: the node has handled its query
                    later = new NodeInfo(laterNode.id(), new InetSocketAddress(loopback, laterNode.port()));
                    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(node.process.pid())).start();
                    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -INT").isTrue();
                    assertThat(node.exit(Duration.ofSeconds(30))).as(node.output()).isEqualTo(130);
                }
                assertThat(tracker.seen()).as(node.output())
                        .anyMatch(s -> s.infoHashHex().equals(hex) && s.event().equals("stopped"));
                assertThat(TableFile.load(table).orElseThrow().nodes()).as(node.output()).contains(later);
            }
        }
    }

    private static DhtOptions dhtOn(InetAddress loopback, List<InetSocketAddress> bootstrap) {
        return new DhtOptions(loopback, 0, bootstrap, null, Duration.ofSeconds(1), Duration.ofMinutes(20), Duration.ofSeconds(30));
    }
}
