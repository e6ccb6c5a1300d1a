package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;
import simplebt.wire.ExtensionHandshake;
import simplebt.wire.Handshake;
import simplebt.wire.PexMessage;

/** BEP 11 between our sessions on loopback, its limits, and BEP 27's "not for private torrents". */
@Timeout(60)
class PeerExchangeTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

    @TempDir
    Path tmp;

    private Metainfo torrent(Path dir, boolean isPrivate) throws Exception {
        Files.createDirectories(dir);
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Files.write(dir.resolve("p.bin"), data);
        return Metainfo.parse(new TorrentBuilder(dir.resolve("p.bin")).pieceLength(16384).isPrivate(isPrivate).build(n -> { }));
    }

    private static SessionOptions local(Path dir) {
        return SessionOptions.of(dir).withBind(LOCAL).withPort(0).withUseTrackers(false);
    }

    @Test
    void aLeecherThatKnowsOnlyOnePeerLearnsTheOthersThroughIt() throws Exception {
        Metainfo meta = torrent(tmp.resolve("s"), false);
        // h and l start empty and meet; then h finds the seed s and tells l about it. s sends
        // slowly (50 KB/s for 300 KB) so nobody is done, and disconnects, before h's message.
        try (SessionHost slow = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0).withMaxUploadRate(50_000));
             TorrentSession h = TorrentSession.start(meta, local(tmp.resolve("h")))) {
            slow.add(meta, local(tmp.resolve("s")));
            TorrentSession s = slow.torrent(meta.infoHash()).orElseThrow().session().orElseThrow();
            try (TorrentSession l = TorrentSession.start(meta, local(tmp.resolve("l")).withPeers(List.of(new InetSocketAddress(LOCAL, h.port()))))) {
                awaitPeers(h, 1);
                h.addPeers(List.of(new InetSocketAddress(LOCAL, s.port())));
                // l was told only of h, s only of nobody: h's ut_pex messages bring them together
                // (each may dial the other; the duplicate-connection rule keeps one)
                awaitPeers(l, 2);
                awaitPeers(s, 2);
                assertThat(l.awaitCompletion(Duration.ofSeconds(30))).isTrue();
            }
        }
    }

    @Test
    void aPrivateTorrentOffersNoPexInItsExtensionHandshakeAPublicOneDoes() throws Exception {
        Metainfo secret = torrent(tmp.resolve("a"), true);
        Metainfo open = torrent(tmp.resolve("b"), false);
        try (TorrentSession a = TorrentSession.start(secret, local(tmp.resolve("a")));
             TorrentSession b = TorrentSession.start(open, local(tmp.resolve("b")))) {
            ExtensionHandshake ofPrivate = extensionHandshakeOf(a.port(), secret);
            assertThat(ofPrivate.extensions()).containsKey("ut_metadata").doesNotContainKey("ut_pex");
            ExtensionHandshake ofPublic = extensionHandshakeOf(b.port(), open);
            assertThat(ofPublic.extensions()).containsKeys("ut_metadata", "ut_pex");
            assertThat(ofPublic.metadataSize()).contains(open.rawInfo().length);
        }
    }

    /** The raw extension handshake a session sends a plain peer that sets the BEP 10 bit. */
    private static ExtensionHandshake extensionHandshakeOf(int port, Metainfo meta) throws Exception {
        try (Socket socket = new Socket(LOCAL, port)) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
            out.flush();
            Handshake.read(in);
            while (true) {
                int length = in.readInt();
                byte[] frame = new byte[length];
                in.readFully(frame);
                if (length >= 2 && frame[0] == 20 && frame[1] == 0) {
                    return ExtensionHandshake.decode(java.util.Arrays.copyOfRange(frame, 2, length));
                }
            }
        }
    }

    @Test
    void messagesAreAtMostOneAMinuteWithAtMost50AddedAndOnlyWhatChanged() {
        PeerExchange pex = new PeerExchange();
        Map<InetSocketAddress, Integer> current = new LinkedHashMap<>();
        for (int i = 1; i <= 70; i++) {
            current.put(new InetSocketAddress("10.0.0." + i, 6881), i == 1 ? PexMessage.FLAG_SEED | PexMessage.FLAG_REACHABLE : 0);
        }
        InetSocketAddress self = new InetSocketAddress("10.0.0.2", 6881);
        long t = 1_000_000_000L;
        assertThat(pex.nextMessage(current, self, t)).as("the peer offered no ut_pex").isEmpty();
        pex.peerOffers(9, Optional.empty(), t);

        PexMessage first = pex.nextMessage(current, self, t).orElseThrow();
        assertThat(first.added()).hasSize(PeerExchange.MAX_ADDED).doesNotContain(self);
        assertThat(first.addedFlags()[0]).isEqualTo((byte) 0x12);
        assertThat(pex.nextMessage(current, self, t + PeerExchange.INTERVAL_NANOS - 1)).as("within the minute").isEmpty();

        current.remove(new InetSocketAddress("10.0.0.1", 6881));
        PexMessage second = pex.nextMessage(current, self, t + PeerExchange.INTERVAL_NANOS).orElseThrow();
        assertThat(second.dropped()).containsExactly(new InetSocketAddress("10.0.0.1", 6881));
        assertThat(second.added()).hasSize(69 - 1 - PeerExchange.MAX_ADDED + 1) // the rest, never the ones already told
                .doesNotContainAnyElementsOf(first.added());
    }

    @Test
    void aPeerSendingMoreThanOnceAMinuteIsNotHeard() {
        PeerExchange pex = new PeerExchange();
        PexMessage m = new PexMessage(List.of(new InetSocketAddress("10.0.0.1", 1)), new byte[0], List.of(), List.of());
        long t = 5_000_000_000L;
        assertThat(pex.received(m, t)).hasSize(1);
        assertThat(pex.received(m, t + TimeUnit.SECONDS.toNanos(10))).isEmpty();
        assertThat(pex.received(m, t + PeerExchange.MIN_RECEIVE_GAP_NANOS)).hasSize(1);
    }

    private static void awaitPeers(TorrentSession s, int n) throws InterruptedException {
        Eventually.within(Duration.ofSeconds(10), () -> s.peers().size() >= n);
        assertThat(s.peers()).hasSizeGreaterThanOrEqualTo(n);
    }
}
