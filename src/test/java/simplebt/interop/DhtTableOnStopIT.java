package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
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
import simplebt.dht.NodeInfo;
import simplebt.dht.TableFile;

/**
 * A `node download` stopped by a signal (Ctrl-C, SIGTERM: the same shutdown hook) keeps its DHT
 * routing table, as a download that ends on its own does. Before, the hook closed the torrents
 * but not the DHT node, so the table learnt in this run was lost and the next start had to
 * bootstrap from the routers again.
 */
@Timeout(90)
class DhtTableOnStopIT {
    @TempDir
    Path tmp;

    @Test
    void aDownloadStoppedBySignalSavesItsDhtTable() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        NodeInfo laterNode;
        try (DhtNode bootstrap = DhtNode.start(new DhtOptions(loopback, 0, List.of(), null, Duration.ofSeconds(1),
                Duration.ofMinutes(20), Duration.ofSeconds(30)))) {
            Path content = Interop.content(tmp.resolve("nobody"), false, 41);
            Interop.torrent(content, tmp.resolve("t.torrent"), null); // no tracker, and no seeder anywhere
            int dhtPort;
            try (DatagramSocket free = new DatagramSocket(0, loopback)) {
                dhtPort = free.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "XDG_CONFIG_HOME=" + tmp.resolve("config")));
            cmd.addAll(Interop.node("download", "t.torrent", "--out", "out", "--port", "0", "--bind", "127.0.0.1",
                    "--no-tracker", "--dht-port", Integer.toString(dhtPort),
                    "--dht-bootstrap", "127.0.0.1:" + bootstrap.port(), "--debug"));
            try (Interop.Proc leecher = new Interop.Proc(cmd, tmp)) {
                // a finished lookup: it has bootstrapped, and saved the table it had then
                leecher.await(l -> l.contains("dht:") && l.contains("peers for"), Duration.ofSeconds(40));
                // A node it meets later (it asks the leecher, which puts it in its table) is in the
                // table only if the table is saved again when the leecher stops.
                try (DhtNode later = DhtNode.start(new DhtOptions(loopback, 0, List.of(new InetSocketAddress(loopback, dhtPort)),
                        null, Duration.ofSeconds(1), Duration.ofMinutes(20), Duration.ofSeconds(30)))) {
                    later.bootstrap(); // answered: the leecher has handled its query
                    laterNode = new NodeInfo(later.id(), new InetSocketAddress(loopback, later.port()));
                    leecher.process.destroy(); // SIGTERM, the same shutdown hook as Ctrl-C
                    assertThat(leecher.exit(Duration.ofSeconds(20))).as(leecher.output()).isEqualTo(130);
                }
            }
            Path table = tmp.resolve("config/simplebt").resolve(TableFile.NAME);
            assertThat(TableFile.load(table).orElseThrow().nodes()).contains(laterNode);
        }
    }
}
