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
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.dht.DhtNode;
import simplebt.dht.DhtOptions;
import simplebt.metainfo.Metainfo;

/**
 * A magnet link with nothing but the info hash (no tr, no x.pe, no dn): `node download` finds
 * the seeder through the DHT alone (a small loopback DHT of ours, never the public routers),
 * fetches the metadata from it, then the data; the seeder is our node or libtorrent.
 */
@Timeout(180)
class MagnetDhtIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<DhtNode> nodes = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void close() {
        nodes.forEach(DhtNode::close);
    }

    /** Four of our nodes in the test JVM, joined through the first; returns "127.0.0.1:PORT" of the first. */
    private String loopbackDht() throws Exception {
        for (int i = 0; i < 4; i++) {
            List<InetSocketAddress> boot = i == 0 ? List.of() : List.of(new InetSocketAddress(LOOPBACK, nodes.get(0).port()));
            nodes.add(DhtNode.start(new DhtOptions(LOOPBACK, 0, boot, null, Duration.ofSeconds(1), Duration.ofMinutes(20),
                    Duration.ofSeconds(30))));
        }
        for (DhtNode n : nodes) {
            n.bootstrap();
        }
        return "127.0.0.1:" + nodes.get(0).port();
    }

    /** The node command with a config dir (dht.dat, remembered torrents) of its own inside the test's folder. */
    private Interop.Proc node(String config, String... args) throws Exception {
        return new Interop.Proc(Interop.node(args), tmp, Map.of("XDG_CONFIG_HOME", tmp.resolve(config).toString()));
    }

    private void assertMagnetDownloadThroughTheDht(Metainfo meta, String boot, Interop.Proc seeder) throws Exception {
        String link = "magnet:?xt=urn:btih:" + meta.infoHash().hex();
        try (Interop.Proc leecher = node("config-download", "download", link, "--out", "out", "--port", "0",
                "--bind", "127.0.0.1", "--no-tracker", "--dht-bootstrap", boot, "--debug")) {
            assertThat(leecher.exit(Duration.ofSeconds(120))).as(leecher.output() + "\nseeder:\n" + seeder.output()).isZero();
            assertThat(leecher.output()).contains("magnet: looking for peers on the DHT", "saved torrents/single.bin.torrent",
                    "done: single.bin");
        }
        assertThat(Metainfo.read(tmp.resolve("torrents/single.bin.torrent")).rawInfo()).isEqualTo(meta.rawInfo());
    }

    @Test
    void ourSeederIsFoundThroughTheDhtAloneByAMagnetLinkWithOnlyTheInfoHash() throws Exception {
        String boot = loopbackDht();
        Path content = Interop.content(tmp.resolve("seed"), false, 41);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null); // public, no tracker
        try (Interop.Proc seeder = node("config-seed", "seed", "t.torrent", "--data", "seed", "--port", "0",
                "--bind", "127.0.0.1", "--no-tracker", "--dht-bootstrap", boot, "--debug")) {
            seeder.await(l -> l.contains("dht:") && l.contains("announced to") && !l.contains("announced to 0"),
                    Duration.ofSeconds(30));
            assertMagnetDownloadThroughTheDht(meta, boot, seeder);
        }
        Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
    }

    @Test
    void aLibtorrentSeederIsFoundThroughTheDhtAloneByAMagnetLink() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed: skipping libtorrent interop");
        String boot = loopbackDht();
        Path content = Interop.content(tmp.resolve("seed"), false, 42);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        Files.createDirectories(tmp.resolve("seed"));
        List<String> cmd = List.of("/usr/bin/python3", Interop.home().resolve("src/test/resources/interop/lt_dht.py").toString(),
                "seed", tmp.resolve("t.torrent").toString(), tmp.resolve("seed").toString(),
                Integer.toString(Interop.freePort()), boot);
        try (Interop.Proc lt = new Interop.Proc(cmd, tmp)) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            assertMagnetDownloadThroughTheDht(meta, boot, lt);
        }
        Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
    }
}
