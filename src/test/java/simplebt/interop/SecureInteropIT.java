package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.secure.EncryptionMode;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;

/**
 * {@code --encryption} against standard clients (issue 7): {@code preferred} tries our secure
 * channel on a {@code --peer}, gets no answer, and downloads plain; {@code required} refuses the
 * standard client and says so.
 */
@Timeout(120)
class SecureInteropIT {
    @TempDir
    Path tmp;

    private static SessionOptions preferred(Path dir, int peerPort) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false)
                .withEncryption(EncryptionMode.PREFERRED).withPeers(List.of(new InetSocketAddress("127.0.0.1", peerPort)));
    }

    private Interop.Proc aria2Seed(int port) throws Exception {
        return new Interop.Proc(Interop.aria2("--seed-ratio=0.0", "--bt-seed-unverified=true", "--check-integrity=false",
                "--listen-port=" + port, "--dir=" + tmp.resolve("seed"), tmp.resolve("t.torrent").toString()), tmp);
    }

    @Test
    void preferredDownloadsPlainFromAria2() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed: skipping aria2 interop");
        Path content = Interop.content(tmp.resolve("seed"), false, 31);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        try (Interop.Proc aria2 = aria2Seed(port);
             TorrentSession us = TorrentSession.start(meta, preferred(tmp.resolve("out"), port))) {
            assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(aria2.output()).isTrue();
        }
        Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
    }

    @Test
    void preferredDownloadsPlainFromLibtorrent() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed: skipping libtorrent interop");
        Path content = Interop.content(tmp.resolve("seed"), false, 32);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("seed", tmp.resolve("t.torrent"), tmp.resolve("seed"), port, null), tmp)) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            try (TorrentSession us = TorrentSession.start(meta, preferred(tmp.resolve("out"), port))) {
                assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(lt.output()).isTrue();
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
    }

    /** The node as a user runs it: the refusal is one clear line, and no byte of the file arrives. */
    @Test
    void requiredNodeRefusesAria2AndSaysWhy() throws Exception {
        assumeTrue(Interop.onPath("aria2c"), "aria2c not installed: skipping aria2 interop");
        Path content = Interop.content(tmp.resolve("seed"), false, 33);
        Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        try (Interop.Proc aria2 = aria2Seed(port);
             Interop.Proc node = new Interop.Proc(Interop.node("download", "t.torrent", "--out", "out", "--port", "0",
                     "--bind", "127.0.0.1", "--no-tracker", "--encryption", "required", "--peer", "127.0.0.1:" + port), tmp)) {
            String line = node.await(l -> l.contains("refusing peer 127.0.0.1:" + port) || l.contains("refusing peer /127.0.0.1:" + port),
                    Duration.ofSeconds(60));
            assertThat(line).contains("does not speak the secure channel").contains("--encryption is required");
            assertThat(node.process.isAlive()).as(node.output()).isTrue();
        }
        assertThat(tmp.resolve("out/single.bin")).doesNotExist();
    }
}
