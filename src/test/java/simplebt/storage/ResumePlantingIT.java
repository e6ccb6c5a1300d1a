package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BencodeEncoder;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;

/**
 * The attack: a torrent whose file is named like our resume file for another torrent. Downloaded
 * into the same folder, it used to say every piece of the victim torrent was verified, and the
 * victim then "finished" with empty files.
 */
@Timeout(120)
class ResumePlantingIT {
    @TempDir
    Path tmp;

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false);
    }

    /** The torrent under attack: "victim.bin", 10 pieces, that nobody seeds. */
    private Metainfo victim() throws Exception {
        Path f = Files.createDirectories(tmp.resolve("victim-src")).resolve("victim.bin");
        Files.write(f, StorageTest.random(new Random(7), 10 * 16384));
        return Metainfo.parse(new TorrentBuilder(f).pieceLength(16384).build(n -> { }));
    }

    /** Seeds {@code content} (a file or folder under {@code seedDir}) and downloads it into {@code out} by a real peer. */
    private void downloadThroughASwarm(Path seedDir, Path content, Path out) throws Exception {
        Metainfo meta = Metainfo.parse(new TorrentBuilder(content).pieceLength(16384).build(n -> { }));
        try (TorrentSession seeder = TorrentSession.start(meta, local(seedDir));
             TorrentSession leecher = TorrentSession.start(meta, local(out)
                     .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port()))))) {
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        }
    }

    private static byte[] claimEverything(byte[] infoHash, int pieces) {
        byte[] bits = new byte[(pieces + 7) / 8];
        java.util.Arrays.fill(bits, (byte) 0xff);
        bits[bits.length - 1] = (byte) (0xff << (8 * bits.length - pieces));
        return BencodeEncoder.encode(BDict.builder().put("info hash", infoHash).put("pieces", bits)
                .put("files", BList.of(BList.of(BInt.of(-1), BInt.of(-1)))).build());
    }

    @Test
    void aTorrentNamedLikeTheResumeFileDoesNotMakeAnotherTorrentComplete() throws Exception {
        Metainfo victim = victim();
        Path out = Files.createDirectories(tmp.resolve("downloads"));
        Path seedDir = Files.createDirectories(tmp.resolve("attacker"));
        Path planted = seedDir.resolve("." + victim.infoHash().hex() + ".resume"); // where the old code kept it
        Files.write(planted, claimEverything(victim.infoHash().bytes(), victim.info().pieceCount()));
        downloadThroughASwarm(seedDir, planted, out);
        assertThat(out.resolve(planted.getFileName().toString())).exists();

        try (TorrentSession session = TorrentSession.start(victim, local(out))) {
            assertThat(session.status().piecesDone()).isZero();
            assertThat(session.status().complete()).isFalse();
        }
        assertThat(out.resolve("victim.bin")).doesNotExist();
    }

    @Test
    void aTorrentCannotWriteIntoTheResumeFolder() throws Exception {
        Metainfo victim = victim();
        Path seedDir = Files.createDirectories(tmp.resolve("attacker"));
        Path folder = Files.createDirectories(seedDir.resolve(ResumeFile.DIR));
        Files.write(folder.resolve(victim.infoHash().hex() + ".resume"),
                claimEverything(victim.infoHash().bytes(), victim.info().pieceCount()));
        Metainfo attack = Metainfo.parse(new TorrentBuilder(folder).pieceLength(16384).build(n -> { }));
        assertThatThrownBy(() -> TorrentSession.start(attack, local(tmp.resolve("downloads"))))
                .hasMessageContaining("reserved");
        assertThat(tmp.resolve("downloads/" + ResumeFile.DIR)).doesNotExist();
    }
}
