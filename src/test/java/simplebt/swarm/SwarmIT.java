package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.trackerclient.TrackerStub;

/** Seeders and leechers as sessions in one JVM, on 127.0.0.1, with temporary folders. */
@Timeout(120)
class SwarmIT {
    @TempDir
    Path tmp;

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false);
    }

    /** A folder with a file that is not a multiple of the piece length, an empty file and a small one. */
    private Metainfo multiFileTorrent(Path seedDir, String tracker) throws Exception {
        Path root = seedDir.resolve("album");
        Files.createDirectories(root.resolve("disc 1"));
        Random r = new Random(5);
        Files.write(root.resolve("disc 1/track.bin"), bytes(r, 700_001));
        Files.write(root.resolve("empty.txt"), new byte[0]);
        Files.write(root.resolve("notes.txt"), bytes(r, 999));
        TorrentBuilder b = new TorrentBuilder(root).pieceLength(32768);
        if (tracker != null) {
            b.tracker(tracker);
        }
        return Metainfo.parse(b.build(n -> { }));
    }

    @Test
    void leecherGetsAMultiFileTorrentFromASeederByDirectPeer() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo meta = multiFileTorrent(seedDir, null);
        try (TorrentSession seeder = TorrentSession.start(meta, local(seedDir))) {
            assertThat(seeder.status().complete()).isTrue();
            Path out = tmp.resolve("out");
            try (TorrentSession leecher = TorrentSession.start(meta, local(out)
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port()))))) {
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(60))).isTrue();
                assertThat(leecher.status().verifiedBytes()).isEqualTo(meta.info().totalLength());
            }
            assertSameTree(seedDir.resolve("album"), out.resolve("album"));
            assertThat(out.resolve("album/empty.txt")).exists().isEmptyFile();
        }
    }

    @Test
    void twoLeechersFindTheSeederAndEachOtherThroughTheTracker() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) {
            Path seedDir = tmp.resolve("seed");
            Metainfo meta = multiFileTorrent(seedDir, tracker.announceUrl());
            try (TorrentSession seeder = TorrentSession.start(meta, local(seedDir).withUseTrackers(true));
                 TorrentSession a = TorrentSession.start(meta, local(tmp.resolve("a")).withUseTrackers(true));
                 TorrentSession b = TorrentSession.start(meta, local(tmp.resolve("b")).withUseTrackers(true))) {
                assertThat(a.awaitCompletion(Duration.ofSeconds(60))).isTrue();
                assertThat(b.awaitCompletion(Duration.ofSeconds(60))).isTrue();
            }
            assertSameTree(seedDir.resolve("album"), tmp.resolve("a/album"));
            assertSameTree(seedDir.resolve("album"), tmp.resolve("b/album"));
            List<String> events = tracker.seen().stream().map(TrackerStub.Seen::event).toList();
            assertThat(events).contains("started", "completed", "stopped");
        }
    }

    @Test
    void anUnreachableTrackerDoesNotStopADownloadThatHasPeers() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo meta = multiFileTorrent(seedDir, null);
        try (TorrentSession seeder = TorrentSession.start(meta, local(seedDir));
             TorrentSession leecher = TorrentSession.start(meta, local(tmp.resolve("out")).withUseTrackers(true)
                     .withTrackers(List.of("http://127.0.0.1:1/announce"))
                     .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port()))))) {
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        }
        assertSameTree(seedDir.resolve("album"), tmp.resolve("out/album"));
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("piece-") || n.startsWith("peer-") || n.startsWith("session-")
                        || n.startsWith("dial-") || n.startsWith("incoming-")))
                .as("threads left after close").isEmpty();
    }

    @Test
    void verifiedPiecesOnDiskAreNotFetchedAgain() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Files.createDirectories(seedDir);
        byte[] data = bytes(new Random(9), 20 * 16384 + 123);
        Files.write(seedDir.resolve("file.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seedDir.resolve("file.bin")).pieceLength(16384).build(n -> { }));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.write(out.resolve("file.bin"), java.util.Arrays.copyOf(data, 12 * 16384)); // 12 good pieces
        try (TorrentSession seeder = TorrentSession.start(meta, local(seedDir));
             TorrentSession leecher = TorrentSession.start(meta, local(out)
                     .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port()))))) {
            // at least the 12 found on disk (the seeder may already have sent the rest: virtual
            // threads start fetching before this line runs); what was fetched is checked below
            assertThat(leecher.status().piecesDone()).isGreaterThanOrEqualTo(12);
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(60))).isTrue();
            assertThat(leecher.status().downloaded()).isLessThanOrEqualTo(9 * 16384 + 123);
        }
        assertThat(Files.readAllBytes(out.resolve("file.bin"))).isEqualTo(data);
        // The resume file now lets a restart skip hashing, and still every piece counts as done.
        try (TorrentSession again = TorrentSession.start(meta, local(out))) {
            assertThat(again.status().complete()).isTrue();
        }
        assertThat(out.resolve(".simplebt-resume/" + meta.infoHash().hex() + ".resume")).exists();
    }

    static void assertSameTree(Path expected, Path actual) throws Exception {
        try (var files = Files.walk(expected)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path other = actual.resolve(expected.relativize(p).toString());
                assertThat(sha256(other)).as(other.toString()).isEqualTo(sha256(p));
            }
        }
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
