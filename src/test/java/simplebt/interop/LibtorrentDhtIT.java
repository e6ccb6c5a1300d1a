package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.dht.DhtNode;
import simplebt.dht.DhtOptions;
import simplebt.dht.TorrentDht;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;

/**
 * Our DHT and libtorrent's (python3-libtorrent 2.0, loopback allowed) on 127.0.0.1, no tracker:
 * each finds the peer the other announced and downloads from it.
 */
class LibtorrentDhtIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<DhtNode> nodes = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsLibtorrent() {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed: skipping libtorrent interop");
    }

    @AfterEach
    void close() {
        nodes.forEach(DhtNode::close);
    }

    /** Five of our nodes; the first is everyone's bootstrap node, libtorrent's too. */
    private List<DhtNode> ourDht() throws Exception {
        for (int i = 0; i < 5; i++) {
            List<InetSocketAddress> boot = i == 0 ? List.of() : List.of(new InetSocketAddress(LOOPBACK, nodes.get(0).port()));
            nodes.add(DhtNode.start(new DhtOptions(LOOPBACK, 0, boot, null, Duration.ofSeconds(1), Duration.ofSeconds(10),
                    Duration.ofMillis(500))));
        }
        for (DhtNode n : nodes) {
            n.bootstrap();
        }
        return nodes;
    }

    private Interop.Proc lt(String mode, Path save, String bootstrap) throws Exception {
        Files.createDirectories(save);
        List<String> cmd = List.of("/usr/bin/python3", Interop.home().resolve("src/test/resources/interop/lt_dht.py").toString(),
                mode, tmp.resolve("t.torrent").toString(), save.toString(), Integer.toString(Interop.freePort()), bootstrap);
        return new Interop.Proc(cmd, tmp);
    }

    private static SessionOptions local(Path dir) {
        return SessionOptions.of(dir).withBind(LOOPBACK).withPort(0).withUseTrackers(false);
    }

    @Test
    void libtorrentAnnouncesOnTheDhtAndWeFindItAndDownload() throws Exception {
        List<DhtNode> dht = ourDht();
        Path content = Interop.content(tmp.resolve("seed"), false, 21);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        try (Interop.Proc lt = lt("seed", tmp.resolve("seed"), "127.0.0.1:" + dht.get(0).port())) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("out")));
                 AutoCloseable onDht = TorrentDht.attach(dht.get(3), us)) {
                assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(lt.output()).isTrue();
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
    }

    @Test
    void weAnnounceOnTheDhtAndLibtorrentFindsUsAndDownloads() throws Exception {
        List<DhtNode> dht = ourDht();
        Path content = Interop.content(tmp.resolve("seed"), false, 22);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")));
             AutoCloseable onDht = TorrentDht.attach(dht.get(2), us)) {
            assertThat(us.status().complete()).isTrue();
            try (Interop.Proc lt = lt("leech", tmp.resolve("out"), "127.0.0.1:" + dht.get(0).port())) {
                assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
    }
}
