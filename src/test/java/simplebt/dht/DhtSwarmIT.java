package simplebt.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.testing.Eventually;

/** DHTs of our own nodes on 127.0.0.1, each with its own socket, no tracker anywhere. */
class DhtSwarmIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<DhtNode> nodes = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void closeNodes() {
        nodes.forEach(DhtNode::close);
    }

    private DhtNode node(List<InetSocketAddress> bootstrap, Path configDir) throws Exception {
        DhtNode n = DhtNode.start(new DhtOptions(LOOPBACK, 0, bootstrap, configDir, Duration.ofSeconds(1),
                Duration.ofSeconds(20), Duration.ofMillis(500)));
        nodes.add(n);
        return n;
    }

    private static InetSocketAddress at(DhtNode n) {
        return new InetSocketAddress(LOOPBACK, n.port());
    }

    /** 20 nodes bootstrapped from the first one, each then knowing the network. */
    private List<DhtNode> network(int size) throws Exception {
        DhtNode first = node(List.of(), null);
        List<DhtNode> all = new ArrayList<>(List.of(first));
        for (int i = 1; i < size; i++) {
            all.add(node(List.of(at(first)), null));
        }
        // A lookup whose replies time out on a loaded machine leaves a table short: look again
        // (what a real node's bucket refresh does later), within a deadline.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (DhtNode n : all) {
            n.bootstrap();
            while (n.table().size() < Math.min(8, size - 1) && System.nanoTime() < deadline) {
                n.bootstrap();
            }
        }
        return all;
    }

    private Metainfo torrent(Path seedDir, boolean isPrivate) throws Exception {
        Files.createDirectories(seedDir);
        byte[] data = new byte[300_000];
        new Random(5).nextBytes(data);
        Files.write(seedDir.resolve("f.bin"), data);
        return Metainfo.parse(new TorrentBuilder(seedDir.resolve("f.bin")).pieceLength(32768).isPrivate(isPrivate).build(x -> { }));
    }

    private static SessionOptions local(Path dir) {
        return SessionOptions.of(dir).withBind(LOOPBACK).withPort(0).withUseTrackers(false);
    }

    @Test
    void aLeecherFindsTheSeederThroughA20NodeDhtAndDownloadsWithoutATracker() throws Exception {
        List<DhtNode> dht = network(20);
        assertThat(dht.get(19).table().size()).isGreaterThanOrEqualTo(8);
        Path seedDir = tmp.resolve("seed");
        Metainfo meta = torrent(seedDir, false);
        NodeId hash = NodeId.of(meta.infoHash());
        try (TorrentSession seeder = TorrentSession.start(meta, local(seedDir))) {
            DhtNode seederDht = dht.get(7);
            try (AutoCloseable announcing = seederDht.track(hash, seeder.port(), true, peers -> { })) {
                Path out = tmp.resolve("out");
                try (TorrentSession leecher = TorrentSession.start(meta, local(out));
                     AutoCloseable finding = dht.get(13).track(hash, leecher.port(), true, leecher::addPeers)) {
                    assertThat(leecher.awaitCompletion(Duration.ofSeconds(60))).isTrue();
                    assertThat(Files.readAllBytes(out.resolve("f.bin"))).isEqualTo(Files.readAllBytes(seedDir.resolve("f.bin")));
                }
                // the seeder's address sits in the peer stores of nodes close to the info hash
                assertThat(dht.get(2).getPeers(hash, 0, false)).contains(new InetSocketAddress(LOOPBACK, seeder.port()));
            }
        }
    }

    @Test
    void theRoutingTableIsSavedOnCloseAndLoadedAtStart() throws Exception {
        List<DhtNode> dht = network(10);
        Path config = tmp.resolve("config");
        DhtNode saver = node(List.of(at(dht.get(0))), config);
        saver.bootstrap();
        int known = saver.table().size();
        NodeId id = saver.id();
        saver.close();
        assertThat(config.resolve(TableFile.NAME)).exists();
        DhtNode again = node(List.of(), config); // no bootstrap: only the saved table can find the others
        assertThat(again.id()).isEqualTo(id);
        assertThat(again.table().size()).isEqualTo(known).isGreaterThanOrEqualTo(5);
        assertThat(again.findNode(dht.get(5).id())).extracting(NodeInfo::id).contains(dht.get(5).id());
    }

    @Test
    void aPrivateTorrentIsNeverNamedOnTheDhtWhileAPublicOneIs() throws Exception {
        // a fake DHT node that answers find_node and get_peers and records every info hash named to it
        try (DatagramSocket capture = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            List<NodeId> named = new CopyOnWriteArrayList<>();
            NodeId captureId = NodeId.random(new Random(1));
            Thread t = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[4096];
                while (!capture.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        capture.receive(p);
                        KrpcMessage m = KrpcCodec.decode(p.getData(), p.getLength());
                        if (m instanceof KrpcMessage.GetPeers g) {
                            named.add(g.infoHash());
                        } else if (m instanceof KrpcMessage.AnnouncePeer a) {
                            named.add(a.infoHash());
                        }
                        if (m instanceof KrpcMessage.Query q) {
                            byte[] reply = KrpcCodec.encode(new KrpcMessage.Response(q.t(), captureId, List.of(), List.of(), new byte[] {1}, null));
                            capture.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                        }
                    } catch (Exception e) {
                        // closed or garbage
                    }
                }
            });
            Metainfo secret = torrent(tmp.resolve("private"), true);
            Metainfo open = torrent(tmp.resolve("public"), false);
            DhtNode dht = node(List.of(new InetSocketAddress(LOOPBACK, capture.getLocalPort())), null);
            dht.bootstrap();
            try (TorrentSession a = TorrentSession.start(secret, local(tmp.resolve("private")));
                 TorrentSession b = TorrentSession.start(open, local(tmp.resolve("public")));
                 AutoCloseable pa = TorrentDht.attach(dht, a);
                 AutoCloseable pb = TorrentDht.attach(dht, b)) {
                Eventually.within(Duration.ofSeconds(10), () -> named.contains(NodeId.of(open.infoHash())));
                Thread.sleep(1000); // the private torrent had as long as the public one, and more
            }
            assertThat(named).as("the public torrent is looked up").contains(NodeId.of(open.infoHash()));
            assertThat(named).as("the private one never").doesNotContain(NodeId.of(secret.infoHash()));
            capture.close();
            t.join(2000);
        }
    }
}
