package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeEncoder;
import simplebt.metainfo.InfoHash;
import simplebt.testing.Eventually;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.TrackerTiers;
import simplebt.udptracker.UdpCodec;
import simplebt.udptracker.UdpPacketException;
import simplebt.udptracker.UdpRequest;
import simplebt.udptracker.UdpResponse;
import simplebt.wire.Handshake;

/** The {@code completed} event reaches the tracker even when the download ends at an awkward time. */
@Timeout(30)
class AnnouncerTest {
    private static final Pattern EVENT = Pattern.compile("[?&]event=([a-z]+)");

    private HttpServer tracker;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile int failFirst;

    @AfterEach
    void stop() {
        if (tracker != null) {
            tracker.stop(0);
        }
    }

    /** Records each announce's event ("none" if absent); answers 503 to the first {@code failFirst}. */
    private String start() throws IOException {
        tracker = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        tracker.createContext("/announce", exchange -> {
            try (exchange) {
                Matcher m = EVENT.matcher(exchange.getRequestURI().getRawQuery());
                events.add(m.find() ? m.group(1) : "none");
                if (events.size() <= failFirst) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                byte[] body = BencodeEncoder.encode(BDict.builder().put("interval", 600).put("peers", new byte[0]).build());
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        tracker.start();
        return "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
    }

    private static TrackerTiers one(String url) {
        return TrackerTiers.of(List.of(List.of(url)), RandomGenerator.of("L64X128MixRandom"));
    }

    private static Announcer.RequestFactory requests() {
        InfoHash hash = InfoHash.fromHex("ab".repeat(20));
        byte[] id = Handshake.newPeerId();
        return (event, numwant) -> new AnnounceRequest(hash, id, 6881, 0, 0, 0, event, numwant);
    }

    private void awaitEvents(int n) throws InterruptedException {
        Eventually.within(Duration.ofSeconds(10), () -> events.size() >= n); // the callers assert what came
    }

    @Test
    void finishingWhileStartedStillFailsSendsCompletedOnceTheTrackerAnswers() throws Exception {
        failFirst = 1;
        try (Announcer a = new Announcer(one(start()), requests(), r -> { }, e -> { })) {
            awaitEvents(1);
            a.completed(); // during the back-off after the failed 'started'
            awaitEvents(3);
            assertThat(events).containsExactly("started", "started", "completed");
        }
        assertThat(events).containsExactly("started", "started", "completed", "stopped");
    }

    @Test
    void closingRightAfterFinishingStillSendsCompletedBeforeStopped() throws Exception {
        String url = start();
        Announcer a = new Announcer(one(url), requests(), r -> { }, e -> { });
        awaitEvents(1);
        assertThat(Eventually.within(Duration.ofSeconds(10), () -> a.lastReply().isPresent())).as("the 'started' reply is in").isTrue();
        a.completed();
        a.close();
        assertThat(events).containsSubsequence("started", "completed", "stopped");
        assertThat(events.stream().filter("completed"::equals).count()).as("completed once").isEqualTo(1);
    }

    /**
     * A dormant torrent's announcer may be closed twice (the host's close while a wake fails):
     * 'stopped' is said once, and the second close returns only once it has been said, whoever
     * says it.
     */
    @Test
    void closingTwiceSaysStoppedOnceAndTheSecondCloseWaitsForIt() throws Exception {
        String url = start();
        Announcer a = new Announcer(one(url), requests(), r -> { }, e -> { });
        assertThat(Eventually.within(Duration.ofSeconds(10), () -> a.lastReply().isPresent())).as("the 'started' reply is in").isTrue();
        Thread first = Thread.ofVirtual().start(a::close);
        a.close();
        assertThat(events).as("when the second close returned").containsExactly("started", "stopped");
        first.join();
        a.close();
        assertThat(events).containsExactly("started", "stopped");
    }

    /**
     * Ctrl-C must not hang on a tracker that stopped answering: a UDP tracker that went silent
     * after {@code started} held close() for BEP 15's first time-out (15 s, 30 s when the
     * connection id had to be renewed). Now the farewell has a budget (1 s here).
     */
    @Test
    void closingIsBoundedWhenTheTrackerFallsSilent() throws Exception {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            AtomicInteger answered = new AtomicInteger();
            Thread.ofVirtual().start(() -> answerTwiceThenIgnore(udp, answered));
            String url = "udp://127.0.0.1:" + udp.getLocalPort() + "/announce";
            Announcer a = new Announcer(one(url), Duration.ofSeconds(5), Duration.ofSeconds(1), requests(), r -> { }, e -> { });
            assertThat(Eventually.within(Duration.ofSeconds(10), () -> a.lastReply().isPresent()))
                    .as("'started' answered over UDP").isTrue();
            long t0 = System.nanoTime();
            a.close();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("close() with a silent UDP tracker took " + ms + " ms (farewell budget 1 s)");
            assertThat(ms).as("close() waited for BEP 15's 15 s time-out").isLessThan(8_000);
        }
    }

    /** Answers the connect and the 'started' announce, then nothing. */
    private static void answerTwiceThenIgnore(DatagramSocket udp, AtomicInteger answered) {
        byte[] buf = new byte[2048];
        try {
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                if (answered.get() >= 2) {
                    continue;
                }
                UdpResponse reply = switch (UdpCodec.decodeRequest(p.getData(), p.getLength())) {
                    case UdpRequest.Connect c -> new UdpResponse.Connected(c.transactionId(), 42);
                    case UdpRequest.Announce an -> new UdpResponse.Announced(an.transactionId(), 900, 0, 1, false, new byte[0]);
                    case UdpRequest.Scrape sc -> new UdpResponse.Error(sc.transactionId(), "no scrape");
                };
                byte[] out = UdpCodec.encode(reply);
                udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                answered.incrementAndGet();
            }
        } catch (IOException | UdpPacketException e) {
            // socket closed at the end of the test
        }
    }
}
