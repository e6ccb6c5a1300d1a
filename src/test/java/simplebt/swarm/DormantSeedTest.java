package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.secure.EncryptionMode;

/**
 * A complete seed without peers goes dormant ({@link SessionHost#sleepIdleSeeds}): no session,
 * no tick, yet it announces on schedule with its totals, wakes for plain and secure peers, and
 * pauses, resumes and stops as a running one does (issue 15: memory per idle torrent).
 */
@Timeout(120)
class DormantSeedTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private static final int SIZE = 150_000;

    @TempDir
    Path tmp;
    private HttpServer tracker;
    /** Every announce's query string, in arrival order. */
    private final List<String> announces = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startTracker() throws Exception {
        tracker = HttpServer.create(new InetSocketAddress(LOCAL, 0), 64);
        tracker.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        tracker.createContext("/announce", ex -> {
            announces.add(ex.getRequestURI().getRawQuery());
            byte[] reply = "d8:intervali1e5:peers0:e".getBytes(StandardCharsets.ISO_8859_1); // again each second
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        tracker.start();
    }

    @AfterEach
    void stopTracker() {
        tracker.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
    }

    private Metainfo torrent(String name, long seed, boolean withTracker) throws Exception {
        Path dir = tmp.resolve("seed");
        Files.createDirectories(dir);
        byte[] data = new byte[SIZE];
        new java.util.Random(seed).nextBytes(data);
        Files.write(dir.resolve(name), data);
        TorrentBuilder b = new TorrentBuilder(dir.resolve(name)).pieceLength(16384);
        return Metainfo.parse((withTracker ? b.tracker(url()) : b).build(n -> { }));
    }

    private SessionHost host() throws Exception {
        SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0));
        host.sleepIdleSeeds(Duration.ofSeconds(1));
        return host;
    }

    private SessionOptions seedOptions(boolean trackers, EncryptionMode mode) {
        return SessionOptions.of(tmp.resolve("seed")).withBind(LOCAL).withPort(0).withUseTrackers(trackers)
                .withEncryption(mode);
    }

    private void download(Metainfo meta, String out, int port, EncryptionMode mode) throws Exception {
        Path dir = tmp.resolve(out);
        try (TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(dir).withBind(LOCAL).withPort(0)
                .withUseTrackers(false).withEncryption(mode).withPeers(List.of(new InetSocketAddress(LOCAL, port))))) {
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        }
        String name = meta.info().name();
        assertThat(Files.readAllBytes(dir.resolve(name))).isEqualTo(Files.readAllBytes(tmp.resolve("seed").resolve(name)));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private static Optional<String> param(String query, String name) {
        Matcher m = Pattern.compile("(?:^|&)" + name + "=([^&]*)").matcher(query);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private List<String> withEvent(String event) {
        return announces.stream().filter(q -> param(q, "event").filter(event::equals).isPresent()).toList();
    }

    @Test
    void anIdleSeedGoesDormantWithoutSessionOrTickAndStillAnnouncesOnSchedule() throws Exception {
        try (SessionHost host = host()) {
            HostedTorrent t = host.add(torrent("a.bin", 1, true), seedOptions(true, EncryptionMode.PREFERRED));
            await("dormant", t::isDormant);
            assertThat(t.session()).isEmpty();
            assertThat(t.state()).isEqualTo(HostedTorrent.State.SEEDING);
            assertThat(t.status().complete()).isTrue();
            assertThat(t.metainfo().infoHash()).as("kept as bytes, parsed on demand").isEqualTo(t.infoHash());
            assertThat(t.name()).isEqualTo("a.bin");
            assertThat(host.ticker().registered()).as("torrents ticking").isZero();
            assertThat(host.served().infoHashes()).as("still takes incoming peers").containsExactly(t.infoHash());

            int before = announces.size();
            await("re-announces while dormant", () -> announces.size() >= before + 2);
            String last = announces.get(announces.size() - 1);
            assertThat(param(last, "left")).contains("0");
            assertThat(param(last, "event")).isEmpty(); // regular announces: no second 'started'
            assertThat(withEvent("started")).hasSize(1);
            assertThat(t.isDormant()).isTrue();
        }
        assertThat(withEvent("stopped")).as("the host's close says stopped for the dormant torrent").hasSize(1);
    }

    @Test
    void plainAndSecurePeersWakeADormantSeedAndGetTheBytes() throws Exception {
        try (SessionHost host = host()) {
            HostedTorrent plain = host.add(torrent("p.bin", 2, false), seedOptions(false, EncryptionMode.PREFERRED));
            HostedTorrent secure = host.add(torrent("s.bin", 3, false), seedOptions(false, EncryptionMode.PREFERRED));
            await("both dormant", () -> plain.isDormant() && secure.isDormant());

            download(plain.metainfo(), "plain", host.port(), EncryptionMode.OFF);
            download(secure.metainfo(), "secure", host.port(), EncryptionMode.REQUIRED);

            assertThat(plain.status().uploaded()).isGreaterThanOrEqualTo(SIZE);
            assertThat(secure.status().uploaded()).isGreaterThanOrEqualTo(SIZE);
            // the peers are gone: dormant again, with the totals kept for the ratio
            await("dormant again", () -> plain.isDormant() && secure.isDormant());
            assertThat(plain.status().uploaded()).isGreaterThanOrEqualTo(SIZE);
            download(plain.metainfo(), "plain2", host.port(), EncryptionMode.OFF);
            assertThat(plain.status().uploaded()).isGreaterThanOrEqualTo(2L * SIZE);
        }
    }

    @Test
    void dormantAnnouncesCarryTheUploadedTotalsAndStopSaysThem() throws Exception {
        try (SessionHost host = host()) {
            HostedTorrent t = host.add(torrent("u.bin", 4, true), seedOptions(true, EncryptionMode.PREFERRED));
            await("dormant", t::isDormant);
            download(t.metainfo(), "u", host.port(), EncryptionMode.OFF);
            await("dormant again", t::isDormant);
            int before = announces.size();
            await("announces after the upload", () -> announces.size() >= before + 2);
            String last = announces.get(announces.size() - 1);
            assertThat(Long.parseLong(param(last, "uploaded").orElseThrow())).isGreaterThanOrEqualTo(SIZE);
            assertThat(param(last, "left")).contains("0");

            assertThat(host.remove(t.infoHash())).isTrue();
            List<String> stopped = withEvent("stopped");
            assertThat(stopped).hasSize(1);
            assertThat(Long.parseLong(param(stopped.get(0), "uploaded").orElseThrow())).isGreaterThanOrEqualTo(SIZE);
            assertThat(param(stopped.get(0), "left")).contains("0");
            assertThat(host.served().infoHashes()).isEmpty();
            int after = announces.size();
            Thread.sleep(2_500); // two intervals: a removed torrent must not announce any more
            assertThat(announces).hasSize(after);
        }
    }

    @Test
    void aDormantSeedPausesResumesAndGoesDormantAgain() throws Exception {
        try (SessionHost host = host()) {
            HostedTorrent t = host.add(torrent("r.bin", 5, true), seedOptions(true, EncryptionMode.PREFERRED));
            await("dormant", t::isDormant);
            host.pause(t.infoHash());
            assertThat(t.state()).isEqualTo(HostedTorrent.State.PAUSED);
            assertThat(t.isDormant()).isFalse();
            assertThat(withEvent("stopped")).hasSize(1);
            assertThat(host.served().infoHashes()).isEmpty();

            host.resume(t.infoHash());
            assertThat(t.state()).isEqualTo(HostedTorrent.State.SEEDING);
            await("dormant after the resume", t::isDormant);
            download(t.metainfo(), "after-resume", host.port(), EncryptionMode.OFF);
            assertThat(withEvent("started")).hasSize(2);
        }
        assertThat(withEvent("stopped")).hasSize(2);
    }
}
