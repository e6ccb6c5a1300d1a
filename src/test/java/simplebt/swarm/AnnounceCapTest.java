package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;

/**
 * A host that starts many torrents at once keeps no more than {@link AnnounceClock#IN_FLIGHT}
 * announces on the wire (a {@code serve} with 1,000 torrents used to open 930 descriptors at
 * boot, one connection per first announce), yet every torrent still says {@code started} once,
 * and {@code stopped} once on close, within the farewell budget.
 */
@Timeout(120)
class AnnounceCapTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private static final int TORRENTS = 120;
    /** How long the tracker holds each announce: long enough that, uncapped, they would all overlap. */
    private static final Duration HOLD = Duration.ofMillis(150);
    private static final Pattern INFO_HASH = Pattern.compile("(?:^|&)info_hash=([^&]+)");
    private static final Pattern EVENT = Pattern.compile("(?:^|&)event=([a-z]+)");

    @TempDir
    Path tmp;

    /** Announces the tracker is answering right now, and the most it ever saw at once, by event. */
    private static final class InFlight {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final Map<String, AtomicInteger> byTorrent = new ConcurrentHashMap<>();

        void enter(String infoHash) {
            byTorrent.computeIfAbsent(infoHash, k -> new AtomicInteger()).incrementAndGet();
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void leave() {
            now.decrementAndGet();
        }
    }

    @Test
    void manyTorrentsStartingAtOnceKeepAtMostTheCapOfAnnouncesInFlightAndEachSaysStartedAndStoppedOnce() throws Exception {
        Map<String, InFlight> events = new ConcurrentHashMap<>();
        HttpServer tracker = HttpServer.create(new InetSocketAddress(LOCAL, 0), 2 * TORRENTS);
        tracker.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        tracker.createContext("/announce", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            Matcher h = INFO_HASH.matcher(query);
            Matcher e = EVENT.matcher(query);
            InFlight counted = events.computeIfAbsent(e.find() ? e.group(1) : "none", k -> new InFlight());
            counted.enter(h.find() ? h.group(1) : "?");
            try {
                Thread.sleep(HOLD);
                byte[] reply = "d8:intervali3600e5:peers0:e".getBytes(StandardCharsets.ISO_8859_1);
                ex.sendResponseHeaders(200, reply.length);
                ex.getResponseBody().write(reply);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } finally {
                counted.leave(); // before the close: the client may send the next one as soon as it has the reply
                ex.close();
            }
        });
        tracker.start();
        String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
        try {
            SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0));
            try {
                Path dir = tmp.resolve("seed");
                Files.createDirectories(dir);
                for (int i = 0; i < TORRENTS; i++) {
                    Files.write(dir.resolve("t" + i), new byte[1_000 + i]);
                    Metainfo m = Metainfo.parse(new TorrentBuilder(dir.resolve("t" + i)).pieceLength(16384).tracker(url).build(n -> { }));
                    host.add(m, SessionOptions.of(dir).withBind(LOCAL).withPort(0));
                }
                Eventually.within(Duration.ofSeconds(30), () -> allAnswered(events.get("started")));
                InFlight started = events.get("started");
                assertThat(started.byTorrent).as("torrents that said started").hasSize(TORRENTS);
                assertThat(started.byTorrent.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
                assertThat(started.most.get()).as("started announces on the wire at once")
                        .isBetween(2, AnnounceClock.IN_FLIGHT);
            } finally {
                long t0 = System.nanoTime();
                host.close();
                Duration closing = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(closing).as("closing 120 torrents").isLessThan(Announcer.FAREWELL);
            }
            InFlight stopped = events.get("stopped");
            assertThat(stopped).as("stopped announces").isNotNull();
            assertThat(stopped.byTorrent).as("torrents that said stopped").hasSize(TORRENTS);
            assertThat(stopped.byTorrent.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            assertThat(stopped.most.get()).as("stopped announces on the wire at once").isLessThanOrEqualTo(AnnounceClock.IN_FLIGHT);
            assertThat(events.keySet()).as("events seen").containsOnly("started", "stopped");
        } finally {
            tracker.stop(0);
        }
    }

    private static boolean allAnswered(InFlight f) {
        return f != null && f.byTorrent.size() == TORRENTS && f.now.get() == 0;
    }
}
