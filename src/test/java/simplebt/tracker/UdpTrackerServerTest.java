package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeDecoder;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.trackerclient.AnnounceClient;
import simplebt.trackerclient.AnnounceException;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.AnnounceResponse;
import simplebt.trackerclient.UdpAnnounceClient;
import simplebt.udptracker.UdpCodec;
import simplebt.udptracker.UdpEvent;
import simplebt.udptracker.UdpRequest;
import simplebt.udptracker.UdpResponse;

/** The tracker's UDP side (BEP 15) over real sockets on 127.0.0.1, with our UDP client. */
class UdpTrackerServerTest {
    private static final InfoHash HASH = InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314");
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final UdpAnnounceClient client = new UdpAnnounceClient(java.time.Duration.ofMillis(500), 1);
    private TrackerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(boolean open, String host) throws Exception {
        server = TrackerServer.start(TrackerConfig.defaults(dir).withHost(host).withPort(0).withOpen(open)
                .withPasswordIterations(1000).withInterval(60), UdpListen.on(0), clock::get);
    }

    private String url(String pathAndQuery) {
        return "udp://127.0.0.1:" + server.udpPort() + pathAndQuery;
    }

    private static AnnounceRequest request(InfoHash hash, String peerId, int port, long left) {
        return new AnnounceRequest(hash, peerId.getBytes(StandardCharsets.US_ASCII), port, 0, 0, left,
                AnnounceRequest.Event.STARTED, 50);
    }

    @Test
    void openModeAnnounceScrapeAndTheSameSwarmAsHttp() throws Exception {
        start(true, "127.0.0.1");
        AnnounceResponse seeder = client.announce(url("/announce"), request(HASH, "-SB0001-aaaaaaaaaaaa", 7000, 0));
        assertThat(seeder.interval()).isEqualTo(60);
        assertThat(seeder.peers()).isEmpty();
        AnnounceResponse leecher = client.announce(url("/announce"), request(HASH, "-qB4500-bbbbbbbbbbbb", 7001, 5));
        assertThat(leecher.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 7000));
        assertThat(leecher.complete()).contains(1);
        assertThat(leecher.incomplete()).contains(1);
        assertThat(leecher.swarmSecret()).isEmpty();
        assertThat(client.scrape(url("/announce"), HASH)).contains(new AnnounceClient.ScrapeResult(1, 0, 1));

        // The HTTP announce sees the peers that came over UDP: one AnnounceService, one swarm.
        try (AnnounceClient http = new AnnounceClient(java.time.Duration.ofSeconds(5))) {
            AnnounceResponse overHttp = http.announce(server.baseUrl() + "/announce", request(HASH, "-TR3000-cccccccccccc", 7002, 5));
            assertThat(overHttp.peers()).containsExactlyInAnyOrder(new InetSocketAddress("127.0.0.1", 7000),
                    new InetSocketAddress("127.0.0.1", 7001));
        }
        assertThat(client.scrape(url(""), InfoHash.fromHex("ff".repeat(20)))).contains(new AnnounceClient.ScrapeResult(0, 0, 0));
    }

    /**
     * Our client sends one BEP 15 key for all its announces, so the tracker, which holds a keyed
     * entry for that key only, takes its re-announce and its stopped (a fresh key each time
     * would make both look like another client's).
     */
    @Test
    void ourClientReannouncesAndStopsItsOwnKeyedEntry() throws Exception {
        start(true, "127.0.0.1");
        client.announce(url("/announce"), request(HASH, "-SB0001-aaaaaaaaaaaa", 7000, 0));
        AnnounceResponse again = client.announce(url("/announce"), new AnnounceRequest(HASH,
                "-SB0001-aaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII), 7000, 0, 0, 0, AnnounceRequest.Event.NONE, 50));
        assertThat(again.complete()).contains(1);
        client.announce(url("/announce"), new AnnounceRequest(HASH,
                "-SB0001-aaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII), 7000, 0, 0, 0, AnnounceRequest.Event.STOPPED, 0));
        assertThat(client.scrape(url("/announce"), HASH)).contains(new AnnounceClient.ScrapeResult(0, 0, 0));
    }

    /**
     * A torrent may list our tracker as an http:// and a udp:// tier; the node falls from one to
     * the other and back, and its entry, keyed over UDP, must take the HTTP announce too.
     */
    @Test
    void theNodeMovesBetweenOurUdpAndHttpTiersWithOneKey() throws Exception {
        start(true, "127.0.0.1");
        byte[] id = "-SB0001-aaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
        try (simplebt.trackerclient.TrackerClient node = new simplebt.trackerclient.TrackerClient(java.time.Duration.ofSeconds(5))) {
            node.announce(url("/announce"), request(HASH, "-SB0001-aaaaaaaaaaaa", 7000, 0));
            AnnounceResponse overHttp = node.announce(server.baseUrl() + "/announce",
                    new AnnounceRequest(HASH, id, 7000, 0, 0, 0, AnnounceRequest.Event.NONE, 50));
            assertThat(overHttp.complete()).contains(1);
            node.announce(server.baseUrl() + "/announce", new AnnounceRequest(HASH, id, 7000, 0, 0, 0, AnnounceRequest.Event.STOPPED, 0));
            assertThat(client.scrape(url("/announce"), HASH)).contains(new AnnounceClient.ScrapeResult(0, 0, 0));
        }
    }

    /** A private tracker with one member who uploaded one torrent. */
    private record Member(TrackerHttp http, InfoHash hash, String passkey) {
    }

    private Member privateTrackerWithAMember() throws Exception {
        start(false, "127.0.0.1");
        TrackerHttp http = new TrackerHttp(server.baseUrl());
        String token = http.signupAndLogin("alice");
        byte[] torrent = TestTorrents.singleFile("movie.mkv", 100_000);
        http.post("/api/torrents", token, "application/x-bittorrent", torrent);
        return new Member(http, Metainfo.parse(torrent).infoHash(), http.get("/api/me", token).field("passkey"));
    }

    @Test
    void privateModeNeedsAValidPasskeyInTheUrlData() throws Exception {
        Member m = privateTrackerWithAMember();
        InfoHash hash = m.hash();
        String passkey = m.passkey();

        assertThatThrownBy(() -> client.announce(url("/announce"), request(hash, "-SB0001-aaaaaaaaaaaa", 7000, 0)))
                .isInstanceOfSatisfying(AnnounceException.class, e -> assertThat(e.trackerRefused()).isTrue())
                .hasMessageContaining("private tracker");
        assertThatThrownBy(() -> client.announce(url("/announce?passkey=" + "0".repeat(32)),
                request(hash, "-SB0001-aaaaaaaaaaaa", 7000, 0))).hasMessageContaining("unknown passkey");
        assertThatThrownBy(() -> client.announce(url("/announce/NOTAKEY"), request(hash, "-SB0001-aaaaaaaaaaaa", 7000, 0)))
                .hasMessageContaining("malformed passkey");
        assertThatThrownBy(() -> client.scrape(url("/announce?passkey=" + passkey), hash))
                .hasMessageContaining("private tracker");

        // Both ways the HTTP announce URL carries a passkey work in BEP 41 URL data.
        client.announce(url("/announce?passkey=" + passkey), request(hash, "-SB0001-aaaaaaaaaaaa", 7000, 0));
        AnnounceResponse second = client.announce(url("/announce/" + passkey), request(hash, "-qB4500-bbbbbbbbbbbb", 7001, 5));
        assertThat(second.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 7000));
        assertThat(second.swarmSecret()).isEmpty();
    }

    @Test
    void theSwarmSecretNeverTravelsOverUdp() throws Exception {
        Member m = privateTrackerWithAMember();
        InfoHash hash = m.hash();
        String passkey = m.passkey();
        TrackerHttp http = m.http();
        BDict overHttp = (BDict) BencodeDecoder.decode(http.get("/announce/" + passkey + "?info_hash="
                + TrackerHttp.escape(hash.bytes()) + "&peer_id=-SB0001-aaaaaaaaaaaa&port=7000&left=0", null).body());
        byte[] secret = overHttp.string("sbt secret").orElseThrow().bytes();

        try (UdpProbe probe = new UdpProbe("127.0.0.1", new InetSocketAddress("127.0.0.1", server.udpPort()))) {
            long cid = connect(probe);
            byte[] reply = probe.ask(UdpCodec.encode(new UdpRequest.Announce(cid, 9, hash.bytes(),
                    "-SB0001-bbbbbbbbbbbb".getBytes(StandardCharsets.US_ASCII), 0, 5, 0, UdpEvent.STARTED, 0, 0, 50, 7001,
                    "/announce?passkey=" + passkey)), 2000);
            UdpResponse.Announced a = (UdpResponse.Announced) UdpCodec.decodeResponse(reply, reply.length, false);
            assertThat(a.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 7000));
            assertThat(indexOf(reply, secret)).isEqualTo(-1);
            assertThat(reply).hasSize(20 + 6);
        }
    }

    private static long connect(UdpProbe probe) throws Exception {
        byte[] reply = probe.ask(UdpCodec.encode(new UdpRequest.Connect(1)), 2000);
        return ((UdpResponse.Connected) UdpCodec.decodeResponse(reply, reply.length, false)).connectionId();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] announce(long cid, String peerId, int port) {
        return UdpCodec.encode(new UdpRequest.Announce(cid, 5, HASH.bytes(), peerId.getBytes(StandardCharsets.US_ASCII),
                0, 0, 0, UdpEvent.STARTED, 0, 0, 50, port, ""));
    }

    @Test
    void aForgedOrForeignConnectionIdIsRefusedAndAddsNoPeer() throws Exception {
        start(true, "127.0.0.1");
        InetSocketAddress tracker = new InetSocketAddress("127.0.0.1", server.udpPort());
        try (UdpProbe probe = new UdpProbe("127.0.0.1", tracker)) {
            byte[] reply = probe.ask(announce(new Random(1).nextLong(), "-XX0001-forgedforged", 7000), 2000);
            assertThat(UdpCodec.decodeResponse(reply, reply.length, false)).isEqualTo(new UdpResponse.Error(5, "bad connection id"));
            assertThat(reply.length).isLessThan(36); // never larger than the smallest request: no amplification
            long cid = connect(probe);
            // An id works only for the address it was issued to (127.0.0.2 is loopback too on Linux).
            try (UdpProbe other = new UdpProbe("127.0.0.2", tracker)) {
                byte[] foreign = other.ask(announce(cid, "-XX0001-stolenstolen", 7001), 2000);
                assertThat(UdpCodec.decodeResponse(foreign, foreign.length, false)).isInstanceOf(UdpResponse.Error.class);
            }
        }
        assertThat(client.scrape(url(""), HASH)).contains(new AnnounceClient.ScrapeResult(0, 0, 0));
    }

    @Test
    void connectionIdsLiveOneToTwoMinutes() throws Exception {
        clock.set(1_700_000_040_000L); // 40 s into a one-minute slot
        start(true, "127.0.0.1");
        try (UdpProbe probe = new UdpProbe("127.0.0.1", new InetSocketAddress("127.0.0.1", server.udpPort()))) {
            long cid = connect(probe);
            clock.addAndGet(70_000); // next slot: still accepted
            byte[] ok = probe.ask(announce(cid, "-XX0001-aaaaaaaaaaaa", 7000), 2000);
            assertThat(UdpCodec.decodeResponse(ok, ok.length, false)).isInstanceOf(UdpResponse.Announced.class);
            clock.addAndGet(60_000); // two slots on: expired
            byte[] expired = probe.ask(announce(cid, "-XX0001-aaaaaaaaaaaa", 7000), 2000);
            assertThat(UdpCodec.decodeResponse(expired, expired.length, false)).isInstanceOf(UdpResponse.Error.class);
        }
    }

    @Test
    void malformedPacketsAreDroppedOrAnsweredAndTheServerKeepsGoing() throws Exception {
        start(true, "127.0.0.1");
        try (UdpProbe probe = new UdpProbe("127.0.0.1", new InetSocketAddress("127.0.0.1", server.udpPort()))) {
            Random r = new Random(7);
            for (int n : new int[] {0, 1, 15, 16, 97, 98, 1500, 1501, 4000}) {
                byte[] junk = new byte[n];
                r.nextBytes(junk);
                assertThat(probe.ask(junk, 200)).as("%d random bytes from an unconnected address", n).isNull();
            }
            long cid = connect(probe);
            byte[] bad = announce(cid, "-XX0001-aaaaaaaaaaaa", 7000);
            bad[83] = 9; // event 9
            byte[] reply = probe.ask(bad, 2000);
            assertThat(UdpCodec.decodeResponse(reply, reply.length, false))
                    .isEqualTo(new UdpResponse.Error(5, "malformed request: unknown event 9 (expected 0-3)"));
            byte[] portZero = probe.ask(announce(cid, "-XX0001-aaaaaaaaaaaa", 0), 2000);
            assertThat(UdpCodec.decodeResponse(portZero, portZero.length, false))
                    .isEqualTo(new UdpResponse.Error(5, "port must be 1-65535"));
            assertThat(connect(probe)).isEqualTo(cid); // still answering, same slot, same id
        }
    }

    @Test
    void ipv6TrackerGivesEighteenBytePeers() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 loopback here: skipping");
        start(true, "::1");
        String url = "udp://[::1]:" + server.udpPort() + "/announce";
        client.announce(url, request(HASH, "-SB0001-aaaaaaaaaaaa", 7000, 0));
        AnnounceResponse r = client.announce(url, request(HASH, "-qB4500-bbbbbbbbbbbb", 7001, 5));
        assertThat(r.peers()).containsExactly(new InetSocketAddress("::1", 7000));
    }

    private static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void trackerJarFlags() throws Exception {
        assertThat(TrackerMain.parseUdp(new String[0])).isEqualTo(UdpListen.SAME_PORT);
        assertThat(TrackerMain.parseUdp(new String[] {"--udp-port", "6969"})).isEqualTo(UdpListen.on(6969));
        assertThat(TrackerMain.parseUdp(new String[] {"--no-udp"})).isEqualTo(UdpListen.OFF);
        assertThatThrownBy(() -> TrackerMain.parseUdp(new String[] {"--no-udp", "--udp-port", "1"}))
                .hasMessageContaining("contradict");
        assertThat(TrackerMain.USAGE).contains("--udp-port N").contains("--no-udp");
    }

    @Test
    void closeStopsTheReaderThreadAndFreesThePort() throws Exception {
        start(true, "127.0.0.1");
        AnnounceResponse r = client.announce(url("/announce"), request(HASH, "-SB0001-aaaaaaaaaaaa", 7000, 0));
        assertThat(r.interval()).isEqualTo(60);
        int port = server.udpPort();
        assertThat(readers()).isNotEmpty();
        server.close();
        server = null;
        // The platform reader blocked in receive() was woken by the close and has ended.
        assertThat(readers()).isEmpty();
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static List<Thread> readers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("udp-tracker-") && t.isAlive()).toList();
    }

    @Test
    void udpOnTheSamePortNumberAsHttp() throws Exception {
        server = TrackerServer.start(TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0).withOpen(true)
                .withPasswordIterations(1000), UdpListen.SAME_PORT, clock::get);
        assertThat(server.udpPort()).isEqualTo(server.port());
        assertThat(client.announce("udp://127.0.0.1:" + server.port() + "/announce",
                request(HASH, "-SB0001-aaaaaaaaaaaa", 7000, 0)).interval()).isEqualTo(1800);
    }

    @Test
    void scrapeOfManyHashesAnswersEachInOrder() throws Exception {
        start(true, "127.0.0.1");
        client.announce(url("/announce"), request(HASH, "-SB0001-aaaaaaaaaaaa", 7000, 0));
        try (UdpProbe probe = new UdpProbe("127.0.0.1", new InetSocketAddress("127.0.0.1", server.udpPort()))) {
            long cid = connect(probe);
            byte[] reply = probe.ask(UdpCodec.encode(new UdpRequest.Scrape(cid, 3,
                    List.of(new byte[20], HASH.bytes(), new byte[20]))), 2000);
            assertThat(UdpCodec.decodeResponse(reply, reply.length, false)).isEqualTo(new UdpResponse.Scraped(3, List.of(
                    new UdpResponse.ScrapeCounts(0, 0, 0), new UdpResponse.ScrapeCounts(1, 0, 0),
                    new UdpResponse.ScrapeCounts(0, 0, 0))));
        }
    }
}
