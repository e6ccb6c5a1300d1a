package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.log.Log;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.mse.MseConnection;
import simplebt.mse.MseSocket;
import simplebt.secure.EncryptionMode;
import simplebt.testing.Eventually;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * Races between a dormant seed's wake or fall-asleep and the peers, tracker replies, pauses and
 * resumes that arrive meanwhile ({@link SessionHost#sleepIdleSeeds}; review 3, "found by
 * reading"). A wake that re-checks touched data is held in its check through the check's
 * progress callback; a fall-asleep is held at one of its debug lines ({@link LogHold}).
 */
@Timeout(120)
class WakeRaceTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private static final int SIZE = 150_000;
    private static final int PIECE = 16384;

    @TempDir
    Path tmp;
    private RecordingTracker tracker;
    private List<String> announces;
    /** The first announce is answered once this is open. */
    private volatile CountDownLatch firstAnswered = new CountDownLatch(0);

    @BeforeEach
    void startTracker() throws Exception {
        tracker = new RecordingTracker("d8:intervali1e5:peers0:e");
        tracker.hold((query, first) -> {
            if (first) {
                firstAnswered.await(30, TimeUnit.SECONDS);
            }
        });
        announces = tracker.announces();
    }

    @AfterEach
    void stopTracker() {
        tracker.close();
        Log.setDebug(false);
        Log.setDebugStream(System.err);
    }

    private Metainfo torrent(String name, long seed, boolean withTracker) throws Exception {
        Path dir = tmp.resolve("seed");
        Files.createDirectories(dir);
        byte[] data = new byte[SIZE];
        new java.util.Random(seed).nextBytes(data);
        Files.write(dir.resolve(name), data);
        TorrentBuilder b = new TorrentBuilder(dir.resolve(name)).pieceLength(PIECE);
        if (withTracker) {
            b = b.tracker(tracker.url());
        }
        return Metainfo.parse(b.build(n -> { }));
    }

    private static SessionHost host() throws Exception {
        SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0));
        host.sleepIdleSeeds(Duration.ofSeconds(1));
        return host;
    }

    private SessionOptions seedOptions(boolean trackers) {
        return SessionOptions.of(tmp.resolve("seed")).withBind(LOCAL).withPort(0).withUseTrackers(trackers)
                .withEncryption(EncryptionMode.PREFERRED);
    }

    private static void await(String what, Eventually.Condition<RuntimeException> condition) throws InterruptedException {
        assertThat(Eventually.within(Duration.ofSeconds(20), condition)).as(what).isTrue();
    }

    /** Touched since its resume file was written: the next wake checks the data again. */
    private void touch(String name) throws Exception {
        Path file = tmp.resolve("seed").resolve(name);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() - 3_600_000));
    }

    /** A data check that, once armed, says at its first progress that it runs and waits for {@code release}. */
    private static final class HeldCheck {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch inCheck = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        SessionOptions on(SessionOptions options) {
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

        void awaitWakeInCheck() throws InterruptedException {
            assertThat(inCheck.await(20, TimeUnit.SECONDS)).as("the wake checks the touched file").isTrue();
        }
    }

    /** A seed of {@code host} that went dormant; its file touched since, so the next wake checks it, held by {@code held}. */
    private Metainfo dormantWithTouchedFile(SessionHost host, String name, long seed, HeldCheck held) throws Exception {
        Metainfo meta = torrent(name, seed, false);
        HostedTorrent t = host.add(meta, held.on(seedOptions(false)));
        await("dormant", t::isDormant);
        touch(name);
        held.armed.set(true);
        return meta;
    }

    /** A plain peer for {@code meta} that has sent its handshake. */
    private static Socket plainPeer(Metainfo meta, int port) throws Exception {
        Socket peer = new Socket(LOCAL, port);
        peer.setSoTimeout(30_000);
        DataOutputStream out = new DataOutputStream(peer.getOutputStream());
        Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
        out.flush();
        return peer;
    }

    /** The seed's handshake, read from {@code in}; fails on the seed hanging up instead. */
    private static void expectHandshake(Metainfo meta, java.io.InputStream in, String who) throws Exception {
        byte[] head = in.readNBytes(Handshake.LENGTH);
        assertThat(head).as(who + " gets the seed's handshake (not a hang-up)").hasSize(Handshake.LENGTH);
        assertThat(Handshake.read(new DataInputStream(new java.io.ByteArrayInputStream(head))).infoHash())
                .isEqualTo(meta.infoHash());
    }

    /**
     * Defect 1: a wake took the dormant torrent out of the router before the woken session was in
     * it, so a peer that came meanwhile (for a wake that re-checks touched data: during the
     * whole check) was closed with "no torrent here has info hash". Now the woken session's
     * registration replaces the dormant one, and a peer that comes during the wake waits for it.
     */
    @Test
    void aPlainPeerArrivingWhileAWakeChecksTheDataIsServedByTheWokenSession() throws Exception {
        HeldCheck held = new HeldCheck();
        try (SessionHost host = host()) {
            Metainfo meta = dormantWithTouchedFile(host, "a.bin", 1, held);
            try (Socket waker = plainPeer(meta, host.port())) {
                held.awaitWakeInCheck();
                assertThat(host.served().infoHashes()).as("still routed while it wakes").containsExactly(meta.infoHash());
                try (Socket second = plainPeer(meta, host.port())) {
                    Thread.sleep(300); // the second peer is routed (before the fix: closed) while the check still runs
                    held.release.countDown();
                    expectHandshake(meta, second.getInputStream(), "the peer that came during the wake");
                }
                expectHandshake(meta, waker.getInputStream(), "the peer that woke it");
            } finally {
                held.release.countDown();
            }
        }
    }

    /**
     * Peers that wait for a wake count against {@code --max-connections} while they wait: a
     * stream of handshakes during a long wake (a re-check) cannot pile up sockets and threads
     * beyond that cap. Here the cap is 2: of 4 peers that come during the wake's check, 2 wait
     * and 2 are closed at once (before: all 4 waited, however many came).
     */
    @Test
    void peersWaitingForAWakeAreCappedByMaxConnections() throws Exception {
        HeldCheck held = new HeldCheck();
        SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0).withMaxConnections(2));
        host.sleepIdleSeeds(Duration.ofSeconds(1));
        List<Socket> waiting = new java.util.ArrayList<>();
        try {
            Metainfo meta = dormantWithTouchedFile(host, "c.bin", 6, held);
            waiting.add(plainPeer(meta, host.port()));
            held.awaitWakeInCheck();
            int closed = 0;
            for (int i = 0; i < 4; i++) {
                Socket peer = plainPeer(meta, host.port());
                waiting.add(peer);
                peer.setSoTimeout(2_000);
                try {
                    if (peer.getInputStream().read() < 0) {
                        closed++; // hung up at once (no handshake is sent while the wake checks)
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // still waiting for the wake
                }
            }
            assertThat(closed).as("peers closed at once, of 4 that came while 2 connection slots were free").isEqualTo(2);
        } finally {
            held.release.countDown();
            for (Socket s : waiting) {
                s.close();
            }
            host.close();
        }
    }

    /** Defect 1, an MSE peer: its SKEY lookup found no torrent while the wake ran. */
    @Test
    void anMsePeerArrivingWhileAWakeChecksTheDataIsServedByTheWokenSession() throws Exception {
        HeldCheck held = new HeldCheck();
        try (SessionHost host = host()) {
            Metainfo meta = dormantWithTouchedFile(host, "m.bin", 2, held);
            try (Socket waker = plainPeer(meta, host.port()); Socket mse = new Socket(LOCAL, host.port())) {
                held.awaitWakeInCheck();
                mse.setSoTimeout(30_000);
                MseConnection c = MseSocket.connect(mse, meta.infoHash(), Duration.ofSeconds(10), 16384);
                DataOutputStream out = new DataOutputStream(c.out());
                Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
                out.flush();
                held.release.countDown();
                expectHandshake(meta, c.in(), "the MSE peer that came during the wake");
            } finally {
                held.release.countDown();
            }
        }
    }

    /**
     * Defect 3: a peer that connected between the idle tick and the moment the session was taken
     * away was accepted and then dropped by the session's close. Now the fall-asleep looks again
     * once the session takes no more peers; with a peer in it, the session stays and serves it.
     */
    @Test
    void aPeerThatConnectsWhileTheSeedFallsAsleepIsServedNotDropped() throws Exception {
        try (LogHold hold = LogHold.at(" goes dormant: "); SessionHost host = host()) {
            Metainfo meta = torrent("d.bin", 3, false);
            HostedTorrent t = host.add(meta, seedOptions(false));
            assertThat(hold.reached()).as("the idle tick decided to put it to sleep").isTrue();
            try (Socket peer = plainPeer(meta, host.port())) {
                expectHandshake(meta, peer.getInputStream(), "the peer");
                hold.release();
                DataInputStream in = new DataInputStream(peer.getInputStream());
                DataOutputStream out = new DataOutputStream(peer.getOutputStream());
                MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
                codec.write(out, new Message.Interested());
                out.flush();
                while (!(codec.read(in) instanceof Message.Unchoke)) {
                    // bitfield, extension handshake: an unchoke (not a hang-up) is what it waits for
                }
                codec.write(out, new Message.Request(0, 0, PIECE));
                out.flush();
                Message m;
                do {
                    m = codec.read(in);
                } while (!(m instanceof Message.Piece));
                byte[] file = Files.readAllBytes(tmp.resolve("seed").resolve("d.bin"));
                assertThat(((Message.Piece) m).block()).isEqualTo(Arrays.copyOf(file, PIECE));
            }
            assertThat(t.status().failure()).isEmpty();
        }
    }

    /** A reply listing one peer (compact) with the swarm's counts, whose next announce is an hour away. */
    private static byte[] replyListing(int port) {
        byte[] head = "d8:completei1e10:incompletei1e8:intervali3600e5:peers6:".getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(head, head.length + 7);
        System.arraycopy(LOCAL.getAddress(), 0, out, head.length, 4);
        out[head.length + 4] = (byte) (port >> 8);
        out[head.length + 5] = (byte) port;
        out[head.length + 6] = 'e';
        return out;
    }

    /**
     * Defect 2: a tracker reply that arrived after the session falling asleep had closed, but
     * before its announcer was handed to the dormant torrent, went to the closed session, and a
     * seed behind NAT lost that reply's leechers until the next interval (here an hour). Now the
     * reply goes to the dormant torrent, which wakes to dial them.
     */
    @Test
    void aTrackerReplyThatArrivesWhileTheSeedFallsAsleepStillGetsItsLeechersDialed() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        firstAnswered = answer;
        Path dir = tmp.resolve("behind-nat");
        try (LogHold hold = LogHold.at(": its session ended; "); SessionHost host = host()) {
            Metainfo meta = torrent("r.bin", 4, true);
            HostedTorrent t = host.add(meta, seedOptions(true));
            // a leecher that only listens: no tracker, no peers given, so the seed must dial it
            try (TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(dir).withBind(LOCAL)
                    .withPort(0).withUseTrackers(false).withEncryption(EncryptionMode.PREFERRED))) {
                assertThat(hold.reached()).as("the session fell asleep and ended").isTrue();
                tracker.reply(replyListing(leecher.port()));
                answer.countDown(); // the 'started' reply, in flight all along, arrives now
                hold.awaitLine("interval 3600", Duration.ofSeconds(10));
                hold.release();
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).as("the seed dialed the reply's leecher").isTrue();
            } finally {
                answer.countDown();
            }
            assertThat(Files.readAllBytes(dir.resolve("r.bin"))).isEqualTo(Files.readAllBytes(tmp.resolve("seed").resolve("r.bin")));
            assertThat(t.status().failure()).isEmpty();
        }
    }

    /**
     * Defect 4: a pause and a resume while a peer's wake checks the data: the resume started a
     * second session next to the woken one, and whichever registered second failed with
     * "running already" (here: the resume, as the wake's check ends first). Now the resume
     * waits for the wake and keeps its session.
     */
    @Test
    void aPauseAndResumeWhileAWakeChecksTheDataLeaveOneRunningTorrent() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch inCheck = new CountDownLatch(1);
        CountDownLatch releaseWake = new CountDownLatch(1);
        CountDownLatch resumeInCheck = new CountDownLatch(1);
        CountDownLatch releaseResume = new CountDownLatch(1);
        try (SessionHost host = host()) {
            Metainfo meta = torrent("p.bin", 5, false);
            SessionOptions held = seedOptions(false).withCheckProgress(bytes -> {
                if (!armed.get()) {
                    return;
                }
                boolean resumer = Thread.currentThread().getName().equals("resumer");
                (resumer ? resumeInCheck : inCheck).countDown();
                try {
                    (resumer ? releaseResume : releaseWake).await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            HostedTorrent t = host.add(meta, held);
            await("dormant", t::isDormant);
            touch("p.bin");
            armed.set(true);
            AtomicReference<Throwable> resumeFailed = new AtomicReference<>();
            try (Socket waker = plainPeer(meta, host.port())) {
                assertThat(inCheck.await(20, TimeUnit.SECONDS)).as("the wake checks the touched file").isTrue();
                host.pause(t.infoHash());
                Thread resumer = Thread.ofPlatform().name("resumer").start(() -> {
                    try {
                        host.resume(t.infoHash());
                    } catch (Throwable e) {
                        resumeFailed.set(e);
                    }
                });
                // before the fix the resume starts a check of its own; now it waits for the wake
                resumeInCheck.await(3, TimeUnit.SECONDS);
                releaseWake.countDown();
                await("the woken or resumed session runs", () -> t.session().isPresent() || !resumer.isAlive());
                releaseResume.countDown();
                resumer.join(30_000);
            } finally {
                releaseWake.countDown();
                releaseResume.countDown();
            }
            assertThat(resumeFailed.get()).as("the resume").isNull();
            assertThat(t.status().failure()).as("failure").isEmpty();
            assertThat(t.state()).isEqualTo(HostedTorrent.State.SEEDING);
            Path out = tmp.resolve("leech");
            try (TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(out).withBind(LOCAL).withPort(0)
                    .withUseTrackers(false).withEncryption(EncryptionMode.OFF)
                    .withPeers(List.of(new InetSocketAddress(LOCAL, host.port()))))) {
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(60))).isTrue();
            }
            assertThat(Files.readAllBytes(out.resolve("p.bin"))).isEqualTo(Files.readAllBytes(tmp.resolve("seed").resolve("p.bin")));
        }
    }

    /**
     * Turns the debug log on and holds the first thread that writes a line containing
     * {@code marker} until {@link #release}: a point inside the fall-asleep, which runs on a
     * thread of its own, where a test makes a peer or a tracker reply arrive. Lines are checked
     * before PrintStream's own lock is taken, so other threads go on logging meanwhile.
     */
    static final class LogHold extends PrintStream {
        private final String marker;
        private final AtomicBoolean armed = new AtomicBoolean(true);
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private LogHold(String marker) {
            super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            this.marker = marker;
        }

        static LogHold at(String marker) {
            LogHold h = new LogHold(marker);
            Log.setDebugStream(h);
            Log.setDebug(true);
            return h;
        }

        @Override
        public void println(String line) {
            lines.add(line);
            if (line.contains(marker) && armed.compareAndSet(true, false)) {
                reached.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        boolean reached() throws InterruptedException {
            return reached.await(30, TimeUnit.SECONDS);
        }

        /** Waits (bounded) until some thread has logged a line containing {@code text}. */
        void awaitLine(String text, Duration timeout) throws InterruptedException {
            Eventually.within(timeout, () -> lines.stream().anyMatch(l -> l.contains(text)));
        }

        void release() {
            release.countDown();
        }

        @Override
        public void close() {
            release.countDown();
            Log.setDebug(false);
            Log.setDebugStream(System.err);
        }
    }
}
