package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
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

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;

/**
 * A host's torrents announce on schedule from one shared clock: between announces no torrent
 * keeps a thread of its own (an idle seeding torrent used to keep a parked announcer thread for
 * the whole interval, about 4 KiB of heap each).
 */
@Timeout(120)
class HostAnnounceScheduleTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private static final int TORRENTS = 12;
    /** The first announces of each torrent are answered with interval 1 s, the later ones with an hour. */
    private static final int SHORT_INTERVALS = 3;
    private static final Pattern INFO_HASH = Pattern.compile("(?:^|&)info_hash=([^&]+)");

    @TempDir
    Path tmp;

    @Test
    void everyTorrentReannouncesOnItsIntervalAndNoneKeepsAThreadInBetween() throws Exception {
        Map<String, AtomicInteger> announces = new ConcurrentHashMap<>();
        HttpServer tracker = HttpServer.create(new InetSocketAddress(LOCAL, 0), 64);
        tracker.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        tracker.createContext("/announce", ex -> {
            Matcher m = INFO_HASH.matcher(ex.getRequestURI().getRawQuery());
            int n = m.find() ? announces.computeIfAbsent(m.group(1), k -> new AtomicInteger()).incrementAndGet() : 0;
            int interval = n <= SHORT_INTERVALS ? 1 : 3600;
            byte[] reply = ("d8:intervali" + interval + "e5:peers0:e").getBytes(StandardCharsets.ISO_8859_1);
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        tracker.start();
        String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
        try (SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0))) {
            Path dir = tmp.resolve("seed");
            Files.createDirectories(dir);
            for (int i = 0; i < TORRENTS; i++) {
                Files.write(dir.resolve("t" + i), new byte[20_000 + i]);
                Metainfo m = Metainfo.parse(new TorrentBuilder(dir.resolve("t" + i)).pieceLength(16384).tracker(url).build(n -> { }));
                host.add(m, SessionOptions.of(dir).withBind(LOCAL).withPort(0));
            }
            // started, then three re-announces, each after the 1 s interval the tracker asked for
            Eventually.within(Duration.ofSeconds(30), () -> allReached(announces, SHORT_INTERVALS + 1));
            assertThat(announces).hasSize(TORRENTS);
            assertThat(announces.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(SHORT_INTERVALS + 1));
            // the last round's threads end once their replies are in; a torrent that kept one
            // for its hour-long interval never gets there
            assertThat(Eventually.within(Duration.ofSeconds(10), Duration.ofMillis(100),
                    () -> count(threadDump(), "\"announcer\"") == 0))
                    .as("no announcer threads while every torrent waits an hour").isTrue();

            String dump = threadDump();
            assertThat(count(dump, "\"announce-clock\"")).as("one clock for the host").isEqualTo(1);
            assertThat(announces.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(SHORT_INTERVALS + 1));
        } finally {
            tracker.stop(0);
        }
    }

    private static boolean allReached(Map<String, AtomicInteger> announces, int n) {
        return announces.size() == TORRENTS && announces.values().stream().allMatch(a -> a.get() >= n);
    }

    /** Every thread of this JVM, virtual ones included (Thread.getAllStackTraces leaves those out). */
    private String threadDump() throws Exception {
        Path file = tmp.resolve("threads.json").toAbsolutePath();
        Files.deleteIfExists(file); // dumpThreads will not overwrite one
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        return Files.readString(file);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
