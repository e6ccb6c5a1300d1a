package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.secure.EncryptionMode;
import simplebt.trackerclient.AnnounceResponse;
import simplebt.wire.Handshake;

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
    /** Answers each second's announce with a reply a test may change while the seed is dormant. */
    private RecordingTracker tracker;
    /** Every announce's query string, in arrival order. */
    private List<String> announces;
    /** A 'stopped' announce is answered once this is open (a test holds it to look at a torrent while it closes). */
    private volatile CountDownLatch stoppedAnswered = new CountDownLatch(0);

    @BeforeEach
    void startTracker() throws Exception {
        tracker = new RecordingTracker("d8:intervali1e5:peers0:e");
        tracker.hold((query, first) -> {
            if (param(query, "event").filter("stopped"::equals).isPresent()) {
                stoppedAnswered.await(20, TimeUnit.SECONDS);
            }
        });
        announces = tracker.announces();
    }

    @AfterEach
    void stopTracker() {
        tracker.close();
    }

    private String url() {
        return tracker.url();
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
                tracker.reply(replyListing(leecher.port(), 1, 1));
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
            tracker.reply(replyListing(otherSeed.getLocalPort(), 2, 0)); // the only other peer is a seed
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

    /** Touched since its resume file was written: the next start or wake checks the data again. */
    private void touch(String name) throws Exception {
        Path file = tmp.resolve("seed").resolve(name);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() - 3_600_000));
    }

    /** {@code options} whose data check, once {@code armed}, waits at its first progress report for {@code release}. */
    static SessionOptions checkHeld(SessionOptions options, AtomicBoolean armed, CountDownLatch inCheck, CountDownLatch release) {
        return options.withCheckProgress(bytes -> {
            if (armed.get()) {
                inCheck.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** A peer for {@code meta} that has sent its handshake: it wakes a dormant torrent. */
    static Socket wakingPeer(Metainfo meta, int port) throws Exception {
        Socket peer = new Socket(LOCAL, port);
        DataOutputStream out = new DataOutputStream(peer.getOutputStream());
        Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
        out.flush();
        return peer;
    }

    /**
     * A pause while an incoming peer wakes a dormant seed (here: during the data check the wake
     * runs because the file was touched) ends the woken session. Before, the pause found neither
     * session nor dormant record, and the woken session went on serving that peer, routed and
     * ticking, until the peer left; and state() said PAUSED while the wake checked.
     */
    @Test
    void aPauseWhileAPeerWakesTheSeedEndsTheWokenSession() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch inCheck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (SessionHost host = host()) {
            Metainfo meta = torrent("w.bin", 11, false);
            HostedTorrent t = host.add(meta, checkHeld(seedOptions(false, EncryptionMode.PREFERRED), armed, inCheck, release));
            await("dormant", t::isDormant);
            touch("w.bin");
            armed.set(true);
            try (Socket peer = wakingPeer(meta, host.port())) {
                assertThat(inCheck.await(20, TimeUnit.SECONDS)).as("the wake checks the touched file").isTrue();
                assertThat(t.state()).as("while the wake checks the data").isEqualTo(HostedTorrent.State.CHECKING);
                host.pause(t.infoHash());
                release.countDown();
                peer.setSoTimeout(5_000);
                assertThat(peer.getInputStream().readAllBytes()).as("the seed hangs up (it sends no handshake)").isEmpty();
            } finally {
                release.countDown();
            }
            assertThat(t.state()).isEqualTo(HostedTorrent.State.PAUSED);
            assertThat(t.session()).isEmpty();
            assertThat(host.served().infoHashes()).as("routed").isEmpty();
        }
    }

    /**
     * serve's Ctrl-C closes the host and then halts: a dormant torrent whose wake is under way
     * (here: checking a touched file) has said 'stopped' when the host's close returns. Before,
     * stop() found neither session nor dormant record and returned at once; the announcer said
     * 'stopped' only when the wake later failed on the closed host, after the halt.
     */
    @Test
    void theHostsCloseSaysStoppedForATorrentWakingUp() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch inCheck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Metainfo meta = torrent("c.bin", 16, true);
        SessionHost host = host();
        try {
            HostedTorrent t = host.add(meta, checkHeld(seedOptions(true, EncryptionMode.PREFERRED), armed, inCheck, release));
            await("dormant", t::isDormant);
            await("announced started", () -> withEvent("started").size() == 1);
            touch("c.bin");
            armed.set(true);
            try (Socket peer = wakingPeer(meta, host.port())) {
                assertThat(inCheck.await(20, TimeUnit.SECONDS)).as("the wake checks the touched file").isTrue();
                host.close(); // what HostShutdown does before Runtime.halt
                assertThat(withEvent("stopped")).as("'stopped' heard by the time the host's close returned").hasSize(1);
                release.countDown();
                await("the wake gave up on the closed host", () -> t.status().failure().isPresent());
                assertThat(withEvent("stopped")).as("said once").hasSize(1);
                assertThat(t.state()).isEqualTo(HostedTorrent.State.STOPPED);
            }
        } finally {
            release.countDown();
            host.close();
        }
    }

    /** A seed of {@code host} that went dormant, then was woken by a leecher and uploaded the whole torrent to it. */
    private HostedTorrent wokenToUpload(SessionHost host, String name, long seed) throws Exception {
        HostedTorrent t = host.add(torrent(name, seed, false), seedOptions(false, EncryptionMode.PREFERRED));
        await("dormant", t::isDormant);
        download(t.metainfo(), name, host.port(), EncryptionMode.OFF);
        return t;
    }

    /**
     * A torrent's totals never go down (serve's RunTotals takes a total below its last save for
     * one counted from zero again and adds all of it): not while a woken seed falls asleep, when
     * status() used to fall back to the totals from before that session (0 here) until the
     * session had closed.
     */
    @Test
    void uploadedNeverGoesDownWhileAWokenSeedFallsAsleep() throws Exception {
        try (SessionHost host = host()) {
            HostedTorrent t = wokenToUpload(host, "f.bin", 14);
            await("awake, its peer gone", () -> t.session().isPresent() && t.status().peers() == 0);
            long high = t.status().uploaded();
            assertThat(high).isGreaterThanOrEqualTo(SIZE);
            long low = high;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long asleepSince = 0;
            while (System.nanoTime() < deadline) { // as often as it can: the dip lasted as long as the session's close
                low = Math.min(low, t.status().uploaded());
                if (asleepSince == 0 && t.isDormant()) {
                    asleepSince = System.nanoTime();
                } else if (asleepSince != 0 && System.nanoTime() - asleepSince > Duration.ofMillis(500).toNanos()) {
                    break; // well past the hand-over to the dormant record
                }
            }
            assertThat(t.isDormant()).isTrue();
            assertThat(low).as("the lowest uploaded total seen while it fell asleep").isEqualTo(high);
        }
    }

    /**
     * ... nor while a paused session closes (here: its 'stopped' announce is held by the
     * tracker), when status() said the totals from before that session (0 here).
     */
    @Test
    void aPausedSessionSaysItsTotalsWhileItsStoppedAnnounceIsUnderWay() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        stoppedAnswered = release;
        try (SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0))) { // never dormant
            HostedTorrent t = host.add(torrent("s.bin", 15, true), seedOptions(true, EncryptionMode.PREFERRED));
            await("announced started", () -> withEvent("started").size() == 1);
            download(t.metainfo(), "s", host.port(), EncryptionMode.OFF);
            long before = t.status().uploaded();
            assertThat(before).isGreaterThanOrEqualTo(SIZE);
            Thread pausing = Thread.ofVirtual().start(() -> host.pause(t.infoHash()));
            await("'stopped' under way", () -> withEvent("stopped").size() == 1);
            long whileClosing = t.status().uploaded();
            release.countDown();
            pausing.join();
            assertThat(whileClosing).as("uploaded while the paused session says 'stopped'").isGreaterThanOrEqualTo(before);
            assertThat(t.status().uploaded()).as("paused").isGreaterThanOrEqualTo(whileClosing);
        } finally {
            release.countDown();
        }
    }

    /** ... nor after a pause and a resume that starts it dormant (status() said 0 until a peer woke it). */
    @Test
    void uploadedTotalsSurviveAPauseAndAResumeThatStartsDormant() throws Exception {
        try (SessionHost host = host()) {
            HostedTorrent t = wokenToUpload(host, "p.bin", 12);
            await("dormant again", t::isDormant);
            long before = t.status().uploaded();
            assertThat(before).isGreaterThanOrEqualTo(SIZE);
            host.pause(t.infoHash());
            assertThat(t.status().uploaded()).as("paused").isEqualTo(before);
            host.resume(t.infoHash());
            assertThat(t.isDormant()).as("resumed straight into dormancy").isTrue();
            assertThat(t.status().uploaded()).as("resumed, dormant").isEqualTo(before);
        }
    }
}
