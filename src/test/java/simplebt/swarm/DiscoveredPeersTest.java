package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;

/** Peers from PEX or the DHT are dialed by the ticker into free room, not all at once. */
@Timeout(60)
class DiscoveredPeersTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private static final int LISTENERS = 30;

    @TempDir
    Path tmp;

    @Test
    void manyDiscoveredPeersAreDialedAFewAtATimeWithinMaxPeers() throws Exception {
        Path dir = tmp.resolve("d");
        Files.createDirectories(dir);
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        Files.write(dir.resolve("f.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(dir.resolve("f.bin")).pieceLength(16384).build(n -> { }));

        // listeners that accept and then say nothing: no dial ever becomes a connected peer
        Set<Integer> reached = ConcurrentHashMap.newKeySet();
        List<ServerSocket> servers = new ArrayList<>();
        List<Socket> accepted = new ArrayList<>();
        try {
            List<InetSocketAddress> peers = new ArrayList<>();
            for (int i = 0; i < LISTENERS; i++) {
                ServerSocket server = new ServerSocket(0, 50, LOCAL);
                servers.add(server);
                peers.add(new InetSocketAddress(LOCAL, server.getLocalPort()));
                Thread.ofVirtual().start(() -> {
                    try {
                        while (true) {
                            Socket s = server.accept();
                            synchronized (accepted) {
                                accepted.add(s);
                            }
                            reached.add(server.getLocalPort());
                        }
                    } catch (java.io.IOException e) {
                        // closed at the end of the test
                    }
                });
            }
            SessionOptions options = SessionOptions.of(tmp.resolve("empty")).withBind(LOCAL).withPort(0)
                    .withUseTrackers(false).withMaxPeers(2);
            try (TorrentSession session = TorrentSession.start(meta, options)) {
                session.addPeers(peers); // as a DHT lookup or a PEX message hands them over
                Thread.sleep(1500); // a tick or two: each may dial up to --max-peers (2) more
                assertThat(reached.size()).isLessThanOrEqualTo(3 * 2);
            }
        } finally {
            for (ServerSocket s : servers) {
                s.close();
            }
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
}
