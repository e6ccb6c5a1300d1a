package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.testing.Eventually;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;
import simplebt.tracker.UdpListen;
import simplebt.trackerclient.AnnounceClient;
import simplebt.trackerclient.ApiClient;
import simplebt.trackerclient.UdpAnnounceClient;

/**
 * UDP trackers (BEP 15) with standard clients on loopback: aria2 and libtorrent announce to our
 * tracker over UDP and download from our seeder, which announced over UDP too; and our nodes
 * find each other through opentracker's UDP port.
 */
@Timeout(150)
class UdpTrackerIT {
    @TempDir
    Path tmp;

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0);
    }

    private static TrackerServer tracker(Path dir, boolean open) throws Exception {
        return TrackerServer.start(TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0).withOpen(open)
                .withPasswordIterations(1000).withInterval(5), UdpListen.on(0));
    }

    /** Waits until the tracker counts a seeder for the torrent (our node's UDP announce arrived). */
    private static void awaitSeeder(String udpUrl, Metainfo meta) throws Exception {
        UdpAnnounceClient probe = new UdpAnnounceClient(Duration.ofSeconds(1), 0);
        if (!Eventually.within(Duration.ofSeconds(30), Duration.ofMillis(100), // each look is a UDP scrape
                () -> probe.scrape(udpUrl, meta.infoHash()).map(AnnounceClient.ScrapeResult::complete).orElse(0) >= 1)) {
            throw new AssertionError("our seeder never showed up at " + udpUrl);
        }
    }

    @Test
    void aria2AnnouncesOverUdpAndDownloadsFromOurSeeder() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed: skipping");
        try (TrackerServer server = tracker(tmp.resolve("tracker"), true)) {
            String url = "udp://127.0.0.1:" + server.udpPort() + "/announce";
            Path content = Interop.content(tmp.resolve("seed"), true, 21);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), url);
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
                assertThat(us.status().complete()).isTrue();
                awaitSeeder(url, meta);
                try (Interop.Proc aria2 = new Interop.Proc(Interop.aria2("--seed-time=0", "--check-integrity=true",
                        // aria2 speaks BEP 15 only through its DHT's UDP socket; no DHT node is known, so it stays local.
                        "--enable-dht=true", "--dht-listen-port=" + Interop.freePort(),
                        "--dht-file-path=" + tmp.resolve("dht.dat"), "--listen-port=" + Interop.freePort(),
                        "--dir=" + tmp.resolve("out"), tmp.resolve("t.torrent").toString()), tmp)) {
                    assertThat(aria2.exit(Duration.ofSeconds(90))).as(aria2.output()).isZero();
                }
            }
            Interop.assertSameContent(content, tmp.resolve("out/set"));
        }
    }

    @Test
    void libtorrentAnnouncesOverUdpWithItsPasskeyAndDownloadsFromOurSeeder() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed: skipping");
        try (TrackerServer server = tracker(tmp.resolve("tracker"), false);
             ApiClient api = new ApiClient(server.baseUrl(), null)) {
            api.signup("alice", "correct horse battery");
            String passkey;
            try (ApiClient alice = api.withToken(api.login("alice", "correct horse battery").token())) {
                passkey = alice.me().passkey();
                // A private tracker: the passkey travels in BEP 41 URL data, as in the HTTP URL.
                String url = "udp://127.0.0.1:" + server.udpPort() + "/announce?passkey=" + passkey;
                Path content = Interop.content(tmp.resolve("seed"), false, 22);
                Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), url);
                alice.upload(Files.readAllBytes(tmp.resolve("t.torrent")));
                try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
                    awaitUdpSeeder(alice, meta, passkey);
                    Files.createDirectories(tmp.resolve("out"));
                    try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("leech", tmp.resolve("t.torrent"),
                            tmp.resolve("out"), Interop.freePort(), null), tmp)) {
                        assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
                    }
                }
                Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
            }
        }
    }

    /** In private mode a UDP scrape carries no passkey, so the check goes through the API's counts (members only). */
    private static void awaitUdpSeeder(ApiClient member, Metainfo meta, String passkey) throws Exception {
        if (!Eventually.within(Duration.ofSeconds(30), Duration.ofMillis(100), // each look is an API request
                () -> member.details(meta.infoHash().hex()).seeders() >= 1)) {
            throw new AssertionError("our seeder never announced over UDP with passkey " + passkey);
        }
    }

    /** Our node's first announce should not race opentracker's start-up (a lost connect costs BEP 15's 15 s). */
    private static TorrentSession startWhenUp(Interop.Proc ot, String url, Metainfo meta, Path dir) throws Exception {
        UdpAnnounceClient probe = new UdpAnnounceClient(Duration.ofMillis(200), 0);
        for (int i = 0; ; i++) {
            try {
                probe.scrape(url, meta.infoHash());
                return TorrentSession.start(meta, local(dir));
            } catch (simplebt.trackerclient.AnnounceException e) {
                if (i > 50) {
                    throw new AssertionError("opentracker did not answer on " + url + ": " + ot.output(), e);
                }
            }
        }
    }

    @Test
    void ourNodesFindEachOtherThroughOpentrackersUdpPort() throws Exception {
        assumeTrue(Interop.onPath("opentracker"), "opentracker not installed (apt-get install opentracker): skipping");
        Path content = Interop.content(tmp.resolve("seed"), true, 23);
        int port = Interop.freePort();
        String url = "udp://127.0.0.1:" + port + "/announce";
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), url);
        // Debian's opentracker chroots into -d and drops root: the whitelist lives inside a world-readable dir.
        Path otDir = Files.createDirectories(tmp.resolve("ot"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(otDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(otDir.resolve("whitelist.txt"), meta.infoHash().hex() + "\n");
        Files.writeString(otDir.resolve("opentracker.conf"), "listen.udp 127.0.0.1:" + port + "\n"
                + "listen.tcp 127.0.0.1:" + Interop.freePort() + "\naccess.whitelist /whitelist.txt\n");
        try (Interop.Proc ot = new Interop.Proc(List.of("opentracker", "-f", otDir.resolve("opentracker.conf").toString(),
                "-d", otDir.toString()), tmp);
             TorrentSession seeder = startWhenUp(ot, url, meta, tmp.resolve("seed"));
             TorrentSession leecher = TorrentSession.start(meta, local(tmp.resolve("out")))) {
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(90))).as(ot.output()).isTrue();
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }
}
