package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.secure.EncryptionMode;
import simplebt.secure.SecureChannel;
import simplebt.secure.SecureChannelException;
import simplebt.secure.SecureStreams;
import simplebt.secure.SwarmKey;
import simplebt.wire.Handshake;

/** Many torrents behind one port: incoming peers reach the torrent they name, and nothing else. */
@Timeout(120)
class SessionHostTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

    @TempDir
    Path tmp;

    static Metainfo torrent(Path dir, String name, int size, long seed) throws Exception {
        Files.createDirectories(dir);
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.write(dir.resolve(name), data);
        return Metainfo.parse(new TorrentBuilder(dir.resolve(name)).pieceLength(16384).build(n -> { }));
    }

    private static SessionOptions local(Path dir) {
        return SessionOptions.of(dir).withBind(LOCAL).withPort(0).withUseTrackers(false);
    }

    private static HostOptions hostOptions() {
        return HostOptions.of().withBind(LOCAL).withPort(0);
    }

    private List<Metainfo> seedThree(SessionHost host, EncryptionMode mode) throws Exception {
        List<Metainfo> metas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Metainfo m = torrent(tmp.resolve("seed"), "file" + i + ".bin", 100_000 + i * 7_000, i);
            metas.add(m);
            host.add(m, local(tmp.resolve("seed")).withEncryption(mode));
        }
        return metas;
    }

    private void download(Metainfo meta, Path out, int port, EncryptionMode mode) throws Exception {
        try (TorrentSession leecher = TorrentSession.start(meta, local(out).withEncryption(mode)
                .withPeers(List.of(new InetSocketAddress(LOCAL, port))))) {
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        }
        String name = meta.info().name();
        assertThat(Files.readAllBytes(out.resolve(name))).isEqualTo(Files.readAllBytes(tmp.resolve("seed").resolve(name)));
    }

    @Test
    void threeTorrentsOnOnePortEachReachedByPlainPeersAtOnce() throws Exception {
        try (SessionHost host = SessionHost.start(hostOptions())) {
            List<Metainfo> metas = seedThree(host, EncryptionMode.PREFERRED);
            assertThat(host.torrents()).extracting(HostedTorrent::state).containsOnly(HostedTorrent.State.SEEDING);
            assertThat(host.served().infoHashes()).hasSize(3);
            List<Thread> leechers = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Metainfo m = metas.get(i);
                Path out = tmp.resolve("out" + i);
                leechers.add(Thread.ofVirtual().start(() -> {
                    try {
                        download(m, out, host.port(), EncryptionMode.OFF);
                    } catch (Throwable e) {
                        synchronizedAdd(failures, e);
                    }
                }));
            }
            for (Thread t : leechers) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(host.torrents()).allSatisfy(t -> assertThat(t.status().uploaded()).isEqualTo(t.status().totalBytes()));
        }
    }

    private static void synchronizedAdd(List<Throwable> list, Throwable e) {
        synchronized (list) { // test only: a few threads report once each
            list.add(e);
        }
    }

    @Test
    void secureIncomingConnectionsReachTheTorrentWhoseKeyTheyProve() throws Exception {
        try (SessionHost host = SessionHost.start(hostOptions())) {
            List<Metainfo> metas = seedThree(host, EncryptionMode.REQUIRED);
            download(metas.get(2), tmp.resolve("secure2"), host.port(), EncryptionMode.REQUIRED);
            download(metas.get(0), tmp.resolve("secure0"), host.port(), EncryptionMode.REQUIRED);
            assertThat(host.torrent(metas.get(1).infoHash()).orElseThrow().status().uploaded()).isZero();
        }
    }

    @Test
    void aHandshakeForATorrentNotServedIsClosedWithoutAnAnswer() throws Exception {
        try (SessionHost host = SessionHost.start(hostOptions())) {
            seedThree(host, EncryptionMode.PREFERRED);
            byte[] unknown = new byte[InfoHash.LENGTH];
            Arrays.fill(unknown, (byte) 7);
            try (Socket s = new Socket(LOCAL, host.port())) {
                s.setSoTimeout(10_000);
                Handshake.ours(new InfoHash(unknown), Handshake.newPeerId()).write(new DataOutputStream(s.getOutputStream()));
                assertThat(s.getInputStream().read()).as("closed, no handshake back").isEqualTo(-1);
            }
        }
    }

    @Test
    void aSecureHelloForATorrentNotServedIsRefused() throws Exception {
        try (SessionHost host = SessionHost.start(hostOptions())) {
            seedThree(host, EncryptionMode.PREFERRED);
            byte[] unknown = new byte[InfoHash.LENGTH];
            Arrays.fill(unknown, (byte) 7);
            Socket s = new Socket(LOCAL, host.port());
            assertThatThrownBy(() -> SecureChannel.connect(s, SwarmKey.open(new InfoHash(unknown)), Duration.ofSeconds(10)))
                    .isInstanceOf(SecureChannelException.class);
        }
    }

    @Test
    void aSecureChannelWhoseInnerHandshakeNamesAnotherTorrentIsClosed() throws Exception {
        try (SessionHost host = SessionHost.start(hostOptions())) {
            List<Metainfo> metas = seedThree(host, EncryptionMode.PREFERRED);
            Socket socket = new Socket(LOCAL, host.port());
            // the hello proves torrent 0's key, the handshake inside names torrent 1
            SecureStreams s = SecureChannel.connect(socket, SwarmKey.open(metas.get(0).infoHash()), Duration.ofSeconds(10));
            Handshake.ours(metas.get(1).infoHash(), Handshake.newPeerId()).write(new DataOutputStream(s.out()));
            s.out().flush();
            socket.setSoTimeout(10_000);
            InputStream in = s.in();
            assertThat(in.read()).as("closed, no handshake back").isEqualTo(-1);
            s.close();
        }
    }

    @Test
    void aPausedTorrentTakesNoPeersAndResumesFromItsResumeFile() throws Exception {
        try (SessionHost host = SessionHost.start(hostOptions())) {
            List<Metainfo> metas = seedThree(host, EncryptionMode.OFF);
            Metainfo m = metas.get(1);
            host.pause(m.infoHash());
            HostedTorrent t = host.torrent(m.infoHash()).orElseThrow();
            assertThat(t.state()).isEqualTo(HostedTorrent.State.PAUSED);
            assertThat(t.status().complete()).isTrue();
            assertThat(host.served().infoHashes()).doesNotContain(m.infoHash()).hasSize(2);
            try (Socket s = new Socket(LOCAL, host.port())) {
                s.setSoTimeout(10_000);
                Handshake.ours(m.infoHash(), Handshake.newPeerId()).write(new DataOutputStream(s.getOutputStream()));
                assertThat(s.getInputStream().read()).as("a paused torrent answers nobody").isEqualTo(-1);
            }
            assertThat(t.checkedBytes()).as("the first start checked the data").isEqualTo(m.info().totalLength());
            host.resume(m.infoHash());
            assertThat(t.state()).isEqualTo(HostedTorrent.State.SEEDING);
            assertThat(t.checkedBytes()).as("resumed from the resume file, no check").isZero();
            download(m, tmp.resolve("after-resume"), host.port(), EncryptionMode.OFF);
            assertThat(host.remove(m.infoHash())).isTrue();
            assertThat(t.state()).isEqualTo(HostedTorrent.State.STOPPED);
            assertThat(host.torrents()).hasSize(2);
            assertThatThrownBy(() -> host.add(metas.get(0), local(tmp.resolve("seed"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        }
    }

    /**
     * The MSE seam: bytes that are neither plain nor ours reach the {@link OtherHandshake} from
     * the first byte, with the served info hashes; the pipe it hands to {@code route} reaches the
     * torrent its inner handshake names. Here a toy "protocol": 4 bytes "TOY!", then plain BEP 3.
     */
    @Test
    void bytesThatAreNeitherPlainNorOursGoToTheOtherHandshakeWhichCanRouteThem() throws Exception {
        List<List<InfoHash>> seenServed = new java.util.concurrent.CopyOnWriteArrayList<>();
        OtherHandshake toy = (socket, in, served, route) -> {
            byte[] magic = in.readNBytes(4);
            if (!Arrays.equals(magic, "TOY!".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                socket.close();
                return;
            }
            seenServed.add(served.infoHashes());
            route.accept(new PeerStreams(new java.io.BufferedInputStream(in), socket.getOutputStream(), socket,
                    (InetSocketAddress) socket.getRemoteSocketAddress()));
        };
        try (SessionHost host = SessionHost.start(hostOptions(), SessionTiming.DEFAULT, toy)) {
            List<Metainfo> metas = seedThree(host, EncryptionMode.PREFERRED);
            try (Socket s = new Socket(LOCAL, host.port())) {
                s.setSoTimeout(10_000);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.write("TOY!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                Handshake.ours(metas.get(2).infoHash(), Handshake.newPeerId()).write(out);
                out.flush();
                byte[] answer = s.getInputStream().readNBytes(Handshake.LENGTH);
                assertThat(Arrays.copyOfRange(answer, 28, 48)).as("torrent 2 answered").isEqualTo(metas.get(2).infoHash().bytes());
            }
            assertThat(seenServed).hasSize(1);
            assertThat(seenServed.get(0)).containsExactlyInAnyOrderElementsOf(metas.stream().map(Metainfo::infoHash).toList());
        }
    }

    @Test
    void aTorrentAddedInTheBackgroundIsCheckingAtOnceThenRuns() throws Exception {
        try (SessionHost host = SessionHost.start(hostOptions())) {
            Metainfo m = torrent(tmp.resolve("seed"), "background.bin", 300_000, 4);
            HostedTorrent t = host.addInBackground(m, local(tmp.resolve("seed")));
            assertThat(t.state()).as("returned at once, never shown as paused").isIn(HostedTorrent.State.CHECKING,
                    HostedTorrent.State.SEEDING);
            assertThat(t.awaitCompletion(Duration.ofSeconds(30))).isTrue();
            assertThat(t.state()).isEqualTo(HostedTorrent.State.SEEDING);
            HostedTorrent paused = host.addPaused(torrent(tmp.resolve("seed"), "later.bin", 50_000, 5), local(tmp.resolve("seed")));
            assertThat(paused.state()).isEqualTo(HostedTorrent.State.PAUSED);
            assertThat(paused.session()).isEmpty();
        }
    }

    /**
     * Closing a host says {@code stopped} for every torrent at once: a tracker that takes 3 s to
     * answer each one sees all three within a second, not one every 3 s.
     */
    @Test
    void closingTheHostAnnouncesStoppedForAllTorrentsInParallel() throws Exception {
        List<Long> stoppedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(3);
        com.sun.net.httpserver.HttpServer tracker = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(LOCAL, 0), 16);
        tracker.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        tracker.createContext("/announce", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            if (query.contains("event=stopped")) {
                stoppedAt.add(System.nanoTime());
                try {
                    Thread.sleep(3_000); // a slow tracker: a serial close would take 3 s per torrent
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (query.contains("event=started")) {
                started.countDown();
            }
            byte[] reply = "d8:intervali1800e5:peers0:e".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        tracker.start();
        try (SessionHost host = SessionHost.start(hostOptions())) {
            String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
            for (int i = 0; i < 3; i++) {
                Path dir = tmp.resolve("seed");
                Files.createDirectories(dir);
                Files.write(dir.resolve("t" + i), new byte[20_000 + i]);
                Metainfo m = Metainfo.parse(new TorrentBuilder(dir.resolve("t" + i)).pieceLength(16384).tracker(url).build(n -> { }));
                host.add(m, local(dir).withUseTrackers(true));
            }
            assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            host.close();
            assertThat(stoppedAt).hasSize(3);
            long spread = java.util.Collections.max(stoppedAt) - java.util.Collections.min(stoppedAt);
            assertThat(spread / 1_000_000).as("ms between the first and the last 'stopped'").isLessThan(2_000);
        } finally {
            tracker.stop(0);
        }
    }

    @Test
    void theProcessWideConnectionCapHoldsAcrossTorrents() throws Exception {
        try (SessionHost host = SessionHost.start(hostOptions().withMaxConnections(1))) {
            List<Metainfo> metas = seedThree(host, EncryptionMode.OFF);
            try (Socket first = new Socket(LOCAL, host.port()); Socket second = new Socket(LOCAL, host.port())) {
                first.setSoTimeout(10_000);
                second.setSoTimeout(10_000);
                Handshake.ours(metas.get(0).infoHash(), Handshake.newPeerId()).write(new DataOutputStream(first.getOutputStream()));
                assertThat(first.getInputStream().readNBytes(Handshake.LENGTH)).as("torrent 0 answers").hasSize(Handshake.LENGTH);
                Handshake.ours(metas.get(1).infoHash(), Handshake.newPeerId()).write(new DataOutputStream(second.getOutputStream()));
                assertThat(second.getInputStream().read()).as("torrent 1 is over the cap of 1 connection").isEqualTo(-1);
            }
        }
    }

    @Test
    void uploadSlotsAreSharedFairlyAndComeBackWhenATorrentStops() {
        UploadSlots slots = new UploadSlots(4);
        Object a = new Object();
        Object b = new Object();
        assertThat(slots.claim(a, 5)).as("alone, a gets the whole cap").isEqualTo(4);
        assertThat(slots.claim(b, 5)).as("b still gets its fair share").isEqualTo(2);
        assertThat(slots.claim(a, 5)).as("a is cut to what b leaves, its fair share").isEqualTo(2);
        assertThat(slots.tryOne(b)).as("all 4 are held").isFalse();
        slots.release(a);
        assertThat(slots.claim(b, 5)).isEqualTo(4);
        assertThat(new UploadSlots(0).claim(a, 9)).as("0 = no cap").isEqualTo(9);
    }

    @Test
    void aLeavingUnchokedPeerGivesItsUploadSlotBack() {
        UploadSlots slots = new UploadSlots(3);
        Object a = new Object();
        Object b = new Object();
        assertThat(slots.claim(a, 2)).isEqualTo(2);
        // between rounds one of a's 2 unchoked peers leaves and its slot goes to a choked one
        slots.unchokedPeerLeft(a, 1);
        assertThat(slots.tryOne(a)).as("a hands the freed slot on").isTrue();
        assertThat(slots.tryOne(b)).as("a holds 2 again, so the third slot is b's").isTrue();
        assertThat(slots.tryOne(b)).as("the cap of 3 is held").isFalse();
        slots.unchokedPeerLeft(a, 5);
        assertThat(slots.tryOne(b)).as("a recount never adds slots").isFalse();
    }

    @Test
    void aSessionStartedAloneStillOpensItsOwnPort() throws Exception {
        Metainfo m = torrent(tmp.resolve("seed"), "alone.bin", 50_000, 9);
        try (TorrentSession seeder = TorrentSession.start(m, local(tmp.resolve("seed")))) {
            download(m, tmp.resolve("alone"), seeder.port(), EncryptionMode.OFF);
        }
    }
}
