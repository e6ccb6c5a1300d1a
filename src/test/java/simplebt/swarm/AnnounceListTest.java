package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGeneratorFactory;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeEncoder;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.TrackerTiers;
import simplebt.wire.Handshake;

/**
 * Many trackers (BEP 12, issue 14): dead ones ahead of a good one used to cost a back-off each
 * (5 s, 10 s, ... 5 min: ten of them ~24 minutes); now each is tried in turn at once, and the
 * one that answered is asked first next time.
 */
@Timeout(60)
class AnnounceListTest {
    @TempDir
    Path tmp;

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A tracker that counts announces and answers 503 (failing) or a reply with interval 1 s. */
    private String tracker(boolean good, AtomicInteger hits) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
        byte[] body = BencodeEncoder.encode(BDict.builder().put("interval", 1).put("peers", new byte[0]).build());
        s.createContext("/announce", ex -> {
            try (ex) {
                hits.incrementAndGet();
                if (!good) {
                    ex.sendResponseHeaders(503, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        s.start();
        servers.add(s);
        return "http://127.0.0.1:" + s.getAddress().getPort() + "/announce";
    }

    /** {@code n} trackers answering 503; their hit counters go to {@code hits}. */
    private List<String> failingTrackers(int n, List<AtomicInteger> hits) throws IOException {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AtomicInteger h = new AtomicInteger();
            hits.add(h);
            urls.add(tracker(false, h));
        }
        return urls;
    }

    private static void await(AtomicInteger hits, int n) throws InterruptedException {
        Eventually.within(Duration.ofSeconds(20), () -> hits.get() >= n); // the callers assert the count
    }

    @Test
    void aSessionReachesTheGoodTrackerBehindTenFailingOnesWithoutBackingOff() throws Exception {
        List<AtomicInteger> failing = new ArrayList<>();
        List<String> urls = failingTrackers(10, failing);
        AtomicInteger good = new AtomicInteger();
        urls.add(tracker(true, good));
        Path data = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(data.resolve("f.txt"), "x".repeat(1000));
        Metainfo meta = Metainfo.parse(new TorrentBuilder(data.resolve("f.txt")).pieceLength(16384).build(n -> { }));
        try (TorrentSession s = TorrentSession.start(meta, SessionOptions.of(data).withPort(0)
                .withBind(InetAddress.getByName("127.0.0.1")).withTrackers(urls))) {
            await(good, 1);
            assertThat(good.get()).as("the good tracker, last of 11, got 'started' before any back-off").isGreaterThanOrEqualTo(1);
            assertThat(failing).allSatisfy(h -> assertThat(h.get()).isEqualTo(1));
        }
    }

    @Test
    void theTrackerThatAnsweredIsAskedFirstNextTime() throws Exception {
        List<AtomicInteger> failing = new ArrayList<>();
        List<String> tier = failingTrackers(5, failing);
        AtomicInteger good = new AtomicInteger();
        tier.add(tracker(true, good));
        TrackerTiers tiers = TrackerTiers.of(List.of(tier), RandomGeneratorFactory.of("L64X128MixRandom").create(5));
        InfoHash hash = InfoHash.fromHex("ef".repeat(20));
        byte[] id = Handshake.newPeerId();
        // back-off of an hour: only announces without any back-off can happen in this test
        try (Announcer a = new Announcer(tiers, Duration.ofHours(1), Announcer.FAREWELL,
                (event, numwant) -> new AnnounceRequest(hash, id, 6881, 0, 0, 0, event, numwant), r -> { }, e -> { })) {
            await(good, 3); // started, then two re-announces after 'interval 1'
            assertThat(good.get()).isGreaterThanOrEqualTo(3);
            assertThat(failing.stream().mapToInt(AtomicInteger::get).sum()).as("failing trackers tried in the first round only")
                    .isLessThanOrEqualTo(5);
        }
    }
}
