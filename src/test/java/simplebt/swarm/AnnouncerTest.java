package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.TrackerTiers;
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
        for (int i = 0; i < 200 && events.size() < n; i++) {
            Thread.sleep(50);
        }
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
        Thread.sleep(200); // the 'started' reply is in
        a.completed();
        a.close();
        assertThat(events).containsSubsequence("started", "completed", "stopped");
        assertThat(events.stream().filter("completed"::equals).count()).as("completed once").isEqualTo(1);
    }
}
