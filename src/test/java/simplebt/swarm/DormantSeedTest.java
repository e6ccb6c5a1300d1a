package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
import simplebt.trackerclient.AnnounceResponse;

/**
 * A complete seed without peers goes dormant ({@link SessionHost#sleepIdleSeeds}): no session,
 * no tick, yet it announces on schedule with its totals, wakes for plain and secure peers and
 * to dial the leechers its tracker reports (not for a reply without leechers), and pauses,
 * resumes and stops as a running one does (issue 15: memory per idle torrent).
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
    /** What the tracker answers (bencoded); a test may change it while the seed is dormant. */
    private volatile byte[] reply = "d8:intervali1e5:peers0:e".getBytes(StandardCharsets.ISO_8859_1); // again each second

    @BeforeEach
    void startTracker() throws Exception {
        tracker = HttpServer.create(new InetSocketAddress(LOCAL, 0), 64);
        tracker.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        tracker.createContext("/announce", ex -> {
            announces.add(ex.getRequestURI().getRawQuery());
            byte[] r = reply;
            ex.sendResponseHeaders(200, r.length);
            ex.getResponseBody().write(r);
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

    /** A reply listing one peer (compact), with the swarm's seed and leecher counts, again each second. */
    private static byte[] replyListing(int port, int complete, int incomplete) {
        byte[] head = ("d8:completei" + complete + "e10:incompletei" + incomplete + "e8:intervali1e5:peers6:")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(head, head.length + 7);
        System.arraycopy(LOCAL.getAddress(), 0, out, head.length, 4);
        out[head.length + 4] = (byte) (port >> 8);
        out[head.length + 5] = (byte) port;
        out[head.length + 6] = 'e';
        return out;
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
    void aDormantSeedDialsALeecherTheTrackerReportsAndTheLeecherGetsTheBytes() throws Exception {
        try (SessionHost host = host()) {
            HostedTorrent t = host.add(torrent("n.bin", 6, true), seedOptions(true, EncryptionMode.PREFERRED));
            await("dormant", t::isDormant);
            Path dir = tmp.resolve("behind-nat");
            // a leecher that only listens: no tracker, no peers given, so the seed must dial it
            try (TorrentSession leecher = TorrentSession.start(t.metainfo(), SessionOptions.of(dir).withBind(LOCAL)
                    .withPort(0).withUseTrackers(false).withEncryption(EncryptionMode.PREFERRED))) {
                reply = replyListing(leecher.port(), 1, 1);
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).as("the dormant seed dialed the leecher").isTrue();
            }
            assertThat(Files.readAllBytes(dir.resolve("n.bin"))).isEqualTo(Files.readAllBytes(tmp.resolve("seed").resolve("n.bin")));
            assertThat(t.status().uploaded()).isGreaterThanOrEqualTo(SIZE);
            assertThat(withEvent("started")).as("woken, not started again").hasSize(1);
        }
    }

    @Test
    void aReplyWithoutLeechersLeavesADormantSeedAsleep() throws Exception {
        try (SessionHost host = host(); ServerSocket otherSeed = new ServerSocket(0, 8, LOCAL)) {
            HostedTorrent t = host.add(torrent("q.bin", 7, true), seedOptions(true, EncryptionMode.PREFERRED));
            await("dormant", t::isDormant);
            reply = replyListing(otherSeed.getLocalPort(), 2, 0); // the only other peer is a seed
            int before = announces.size();
            await("three replies listing the other seed", () -> announces.size() >= before + 3);
            otherSeed.setSoTimeout(500);
            assertThatThrownBy(otherSeed::accept).as("nobody dialed the other seed").isInstanceOf(SocketTimeoutException.class);
            assertThat(t.isDormant()).isTrue();
            assertThat(host.ticker().registered()).as("torrents ticking").isZero();
        }
    }

    @Test
    void onlyAReplyWithPeersAndLeechersOrWithoutCountsWakesADormantSeed() {
        List<InetSocketAddress> one = List.of(new InetSocketAddress(LOCAL, 6881));
        assertThat(HostedTorrent.reportsLeechers(reply(Optional.of(1), Optional.of(1), one))).isTrue();
        assertThat(HostedTorrent.reportsLeechers(reply(Optional.of(3), Optional.of(0), one))).as("seeds only").isFalse();
        assertThat(HostedTorrent.reportsLeechers(reply(Optional.of(0), Optional.of(2), List.of()))).as("nobody to dial").isFalse();
        assertThat(HostedTorrent.reportsLeechers(reply(Optional.empty(), Optional.empty(), one)))
                .as("no counts: a peer may be a leecher").isTrue();
    }

    private static AnnounceResponse reply(Optional<Integer> complete, Optional<Integer> incomplete, List<InetSocketAddress> peers) {
        return new AnnounceResponse(1800, Optional.empty(), complete, incomplete, peers, Optional.empty(), List.of(), Optional.empty());
    }

    @Test
    void aTorrentItsResumeFileVouchesForStartsDormantWithoutEverBuildingASession() throws Exception {
        Metainfo meta = torrent("c.bin", 8, true);
        try (SessionHost first = host()) {
            await("dormant in the first run", first.add(meta, seedOptions(true, EncryptionMode.PREFERRED))::isDormant);
        } // its resume file says complete
        int started = withEvent("started").size();
        try (SessionHost host = host()) {
            HostedTorrent t = host.add(meta, seedOptions(true, EncryptionMode.PREFERRED));
            assertThat(t.isDormant()).as("dormant as add returns: no session built to be dropped later").isTrue();
            assertThat(openDescriptorsOn(tmp.resolve("seed").resolve("c.bin"))).as("its check closed the file").isZero();
            assertThat(t.session()).isEmpty();
            assertThat(host.ticker().registered()).as("torrents ticking").isZero();
            assertThat(t.state()).isEqualTo(HostedTorrent.State.SEEDING);
            assertThat(t.status().complete()).isTrue();
            assertThat(t.status().piecesDone()).isEqualTo(meta.info().pieceCount());
            await("announced started", () -> withEvent("started").size() == started + 1);
            assertThat(param(withEvent("started").get(started), "left")).contains("0");

            download(t.metainfo(), "cold", host.port(), EncryptionMode.REQUIRED);
            assertThat(t.status().uploaded()).isGreaterThanOrEqualTo(SIZE);
            assertThat(withEvent("started")).as("woken, not started again").hasSize(started + 1);
        }
    }

    @Test
    void aResumeFileTheFilesNoLongerMatchStartsASessionThatChecksThem() throws Exception {
        Metainfo meta = torrent("m.bin", 9, false);
        try (SessionHost first = host()) {
            await("dormant in the first run", first.add(meta, seedOptions(false, EncryptionMode.PREFERRED))::isDormant);
        }
        Path file = tmp.resolve("seed").resolve("m.bin");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(file).toMillis() - 3_600_000)); // touched since the resume file was written
        try (SessionHost host = host()) {
            HostedTorrent t = host.add(meta, seedOptions(false, EncryptionMode.PREFERRED));
            assertThat(t.isDormant()).isFalse();
            assertThat(t.session()).as("a session checked the data").isPresent();
            assertThat(t.checkedBytes()).isEqualTo(SIZE);
        }
    }

    /** The descriptors this process holds open on {@code file} (Linux: /proc/self/fd). */
    private static long openDescriptorsOn(Path file) throws Exception {
        Path real = file.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (Exception e) {
                    return false; // closed while listed, or the listing's own descriptor
                }
            }).count();
        }
    }

    @Test
    void aDormantSeedHoldsNoOpenFileOfItsDataAfterItServedAPeer() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux /proc");
        // A host of many idle seeds must not hold a descriptor per torrent: the session that
        // served a peer opened the file; falling asleep again must close it.
        Path file = tmp.resolve("seed").resolve("o.bin");
        try (SessionHost host = host()) {
            HostedTorrent t = host.add(torrent("o.bin", 10, false), seedOptions(false, EncryptionMode.OFF));
            await("dormant", t::isDormant);
            download(t.metainfo(), "leech", host.port(), EncryptionMode.OFF);
            assertThat(t.status().uploaded()).as("it served the file").isGreaterThanOrEqualTo(SIZE);
            await("dormant again after the peer left", () -> t.isDormant() && t.session().isEmpty());
            assertThat(openDescriptorsOn(file)).as("descriptors open on its data while dormant").isZero();
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
