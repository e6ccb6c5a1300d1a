package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;
import simplebt.wire.Handshake;

/**
 * Each connection's reader and writer are virtual threads: a seeder with 200 connected peers
 * (real sockets on 127.0.0.1, each past its handshake) has about as many platform threads as
 * with 2. With a platform thread per reader and writer it had 400 more.
 */
@Timeout(120)
class PeerThreadCountTest {
    @TempDir
    Path tmp;

    @Test
    void twoHundredPeersCostNoMorePlatformThreadsThanTwo() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("seed"));
        Files.write(dir.resolve("x.bin"), SwarmIT.bytes(new Random(3), 4 * 16384 + 5));
        Metainfo meta = Metainfo.parse(new TorrentBuilder(dir.resolve("x.bin")).pieceLength(16384).build(n -> { }));
        SessionOptions options = SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0)
                .withUseTrackers(false).withMaxPeers(250);
        List<Socket> peers = new ArrayList<>();
        try (TorrentSession seeder = TorrentSession.start(meta, options)) {
            connect(seeder, meta, peers, 2);
            int withTwo = platformThreads();
            connect(seeder, meta, peers, 200);
            int withTwoHundred = platformThreads();

            assertThat(seeder.status().peers()).isEqualTo(200);
            assertThat(withTwoHundred - withTwo).as("platform threads with 200 peers (%d) vs 2 (%d)",
                    withTwoHundred, withTwo).isLessThan(10);
        } finally {
            for (Socket s : peers) {
                s.close();
            }
        }
    }

    /** Opens plain connections until {@code total} are open and the seeder counts all of them. */
    private static void connect(TorrentSession seeder, Metainfo meta, List<Socket> peers, int total) throws Exception {
        while (peers.size() < total) {
            Socket s = new Socket(InetAddress.getByName("127.0.0.1"), seeder.port());
            peers.add(s);
            s.setSoTimeout(20_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
            out.flush();
            Handshake.read(new DataInputStream(s.getInputStream()));
        }
        Eventually.within(Duration.ofSeconds(10), () -> seeder.status().peers() >= total);
        assertThat(seeder.status().peers()).isEqualTo(total);
    }

    private static int platformThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
