package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.secure.EncryptionMode;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.testing.Eventually;
import simplebt.trackerclient.TrackerStub;

/**
 * Message Stream Encryption with clients set to require it (issue 17): libtorrent with encryption
 * forced both ways and RC4 only downloads from our node and seeds to it, and aria2 with
 * {@code --bt-require-crypto=true} downloads from us. Our node runs in the default
 * {@code preferred} mode. Where a {@link WireTap} sits in between, no relayed byte stream may show
 * the BitTorrent protocol string or the info hash: everything after the key exchange was RC4.
 */
@Timeout(150)
class MseInteropIT {
    private static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0)
                .withEncryption(EncryptionMode.PREFERRED);
    }

    private static List<String> forcedLibtorrent(String mode, Path torrent, Path save, int port, String peer) {
        List<String> cmd = new java.util.ArrayList<>(Interop.libtorrent(mode, torrent, save, port, peer));
        cmd.add(2, "--forced-rc4");
        return cmd;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    /** Something was relayed, and none of it in the clear. */
    private static void assertNothingInTheClear(WireTap tap, Metainfo meta) {
        assertThat(tap.all()).isNotEmpty();
        for (WireTap.Capture c : tap.all()) {
            for (byte[] said : List.of(c.fromDialer().toByteArray(), c.fromTarget().toByteArray())) {
                assertThat(contains(said, PROTOCOL)).as("'BitTorrent protocol' on the wire").isFalse();
                assertThat(contains(said, meta.infoHash().bytes())).as("the info hash on the wire").isFalse();
            }
        }
        assertThat(tap.all().stream().mapToLong(c -> c.fromTarget().size() + c.fromDialer().size()).sum())
                .as("the whole torrent went through the tap").isGreaterThan(meta.info().totalLength());
    }

    @Test
    void libtorrentWithEncryptionForcedDownloadsFromUs() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        Path content = Interop.content(tmp.resolve("seed"), true, 71);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        Files.createDirectories(tmp.resolve("out"));
        try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")).withUseTrackers(false));
             WireTap tap = new WireTap(us.port())) {
            try (Interop.Proc lt = new Interop.Proc(forcedLibtorrent("leech", tmp.resolve("t.torrent"), tmp.resolve("out"),
                    Interop.freePort(), "127.0.0.1:" + tap.port()), tmp)) {
                assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
            }
            assertNothingInTheClear(tap, meta);
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    /**
     * We dial libtorrent as a {@code --peer}: our secure greeting first (libtorrent waits for the
     * rest of what it takes for an MSE key; our handshake timeout ends that), then MSE.
     */
    @Test
    void libtorrentWithEncryptionForcedSeedsUs() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        Path content = Interop.content(tmp.resolve("seed"), true, 72);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        try (Interop.Proc lt = new Interop.Proc(forcedLibtorrent("seed", tmp.resolve("t.torrent"), tmp.resolve("seed"),
                port, null), tmp);
             WireTap tap = new WireTap(port)) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("out")).withUseTrackers(false)
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", tap.port()))))) {
                assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(lt.output()).isTrue();
            }
            assertNothingInTheClear(tap, meta);
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    @Test
    void aria2RequiringCryptoDownloadsFromUs() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed");
        try (TrackerStub tracker = new TrackerStub()) {
            Path content = Interop.content(tmp.resolve("seed"), true, 73);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), tracker.announceUrl());
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
                // aria2 must find us at the tracker
                assertThat(Eventually.within(Duration.ofSeconds(30), () -> !tracker.seen().isEmpty()))
                        .as("announced to the tracker").isTrue();
                try (Interop.Proc aria2 = new Interop.Proc(Interop.aria2("--seed-time=0", "--check-integrity=true",
                        "--bt-require-crypto=true", "--bt-min-crypto-level=arc4", "--listen-port=" + Interop.freePort(),
                        "--dir=" + tmp.resolve("out"), tmp.resolve("t.torrent").toString()), tmp)) {
                    assertThat(aria2.exit(Duration.ofSeconds(90))).as(aria2.output()).isZero();
                }
            }
            Interop.assertSameContent(content, tmp.resolve("out/set"));
        }
    }
}
