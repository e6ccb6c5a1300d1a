package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.dht.DhtNode;
import simplebt.dht.DhtOptions;
import simplebt.dht.NodeId;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.swarm.HostOptions;
import simplebt.swarm.SessionHost;
import simplebt.swarm.SessionOptions;
import simplebt.testing.Eventually;

/** The menu's host puts the public torrents it runs on the DHT, and opens no DHT socket for private ones alone. */
@Timeout(90)
class MenuDhtTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path tmp;

    private Metainfo torrent(String name, boolean isPrivate) throws Exception {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir);
        byte[] bytes = new byte[200_000];
        new Random(name.hashCode()).nextBytes(bytes);
        Files.write(dir.resolve(name), bytes);
        return Metainfo.parse(new TorrentBuilder(dir.resolve(name)).pieceLength(16384).isPrivate(isPrivate).build(n -> { }));
    }

    private static DhtNode ourNode(List<InetSocketAddress> bootstrap) throws Exception {
        return DhtNode.start(new DhtOptions(LOOPBACK, 0, bootstrap, null, Duration.ofSeconds(1), Duration.ofMinutes(20),
                Duration.ofSeconds(30)));
    }

    private NodeDht.Settings bootingFrom(DhtNode node) {
        return new NodeDht.Settings(true, 0, List.of(InetSocketAddress.createUnresolved("127.0.0.1", node.port())));
    }

    private SessionHost host() throws Exception {
        return SessionHost.start(HostOptions.of().withBind(LOOPBACK).withPort(0));
    }

    private SessionOptions seeding() {
        return SessionOptions.of(tmp.resolve("data")).withBind(LOOPBACK).withPort(0).withUseTrackers(false);
    }

    @Test
    void aPublicTorrentAddedInTheBackgroundIsFoundOnTheDht() throws Exception {
        Metainfo meta = torrent("open.bin", false);
        try (DhtNode bootstrap = ourNode(List.of());
             SessionHost host = host();
             MenuDht dht = new MenuDht(host, bootingFrom(bootstrap), tmp.resolve("config"));
             DhtNode searcher = ourNode(List.of(new InetSocketAddress(LOOPBACK, bootstrap.port())))) {
            host.addInBackground(meta, seeding());
            searcher.bootstrap();
            InetSocketAddress us = new InetSocketAddress(LOOPBACK, host.port());
            // each look is a lookup: paced, or the nodes' per-address rate limit would drop them
            assertThat(Eventually.within(Duration.ofSeconds(60), Duration.ofMillis(500),
                    () -> searcher.getPeers(NodeId.of(meta.infoHash()), 0, false).contains(us))).as("the searcher finds us").isTrue();
        }
    }

    @Test
    void privateTorrentsAloneOpenNoDhtSocket() throws Exception {
        Metainfo meta = torrent("secret.bin", true);
        try (DhtNode bootstrap = ourNode(List.of());
             SessionHost host = host();
             MenuDht dht = new MenuDht(host, bootingFrom(bootstrap), tmp.resolve("config"))) {
            host.add(meta, seeding()); // started when this returns: the menu's DHT sees it on its next round
            Thread.sleep(3000);
            assertThat(bootstrap.received()).as("queries that reached the bootstrap node").isZero();
        }
    }
}
