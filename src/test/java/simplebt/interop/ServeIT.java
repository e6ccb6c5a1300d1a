package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import simplebt.library.TorrentLibrary;
import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Metainfo;
import simplebt.storage.PieceChecker;
import simplebt.storage.Storage;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.testing.Eventually;
import simplebt.trackerclient.TrackerStub;

/**
 * `node serve` as a service runs it: every remembered torrent in one process, resumed from its
 * resume data after a restart, `stopped` announced for each on SIGTERM, totals kept in the list.
 */
@Timeout(180)
class ServeIT {
    private static final int PIECE = 65536;

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    }

    private Interop.Proc node(String... args) throws Exception {
        return new Interop.Proc(Interop.node(args), tmp, env());
    }

    private int run(String... args) throws Exception {
        try (Interop.Proc p = node(args)) {
            return p.exit(Duration.ofSeconds(60));
        }
    }

    private JsonArray torrentsJson() throws Exception {
        try (Interop.Proc p = node("torrents", "--json")) {
            assertThat(p.exit(Duration.ofSeconds(60))).as(p.output()).isZero();
            return JsonParser.parseString(p.output()).getAsJsonArray();
        }
    }

    private static JsonObject entry(JsonArray list, Metainfo meta) {
        JsonObject e = find(list, meta);
        if (e == null) {
            throw new AssertionError(meta.info().name() + " is not in " + list);
        }
        return e;
    }

    private static JsonObject find(JsonArray list, Metainfo meta) {
        for (var e : list) {
            if (e.getAsJsonObject().get("infoHash").getAsString().equals(meta.infoHash().hex())) {
                return e.getAsJsonObject();
            }
        }
        return null;
    }

    /** A seeder in this JVM on 127.0.0.1 that announces to the torrent's tracker. */
    private static TorrentSession seeder(Metainfo meta, Path data) throws Exception {
        return TorrentSession.start(meta, SessionOptions.of(data).withBind(InetAddress.getByName("127.0.0.1")).withPort(0));
    }

    /** Copies the content but zeroes every byte from piece {@code firstMissing} on: a seeder of that copy has only the first pieces. */
    private static void partialCopy(Path contentDir, Path target, Metainfo meta, int firstMissing) throws Exception {
        long cut = (long) firstMissing * PIECE;
        for (FileEntry f : meta.info().files()) {
            Path from = contentDir.resolve(String.join("/", meta.info().relativePath(f)));
            Path to = target.resolve(String.join("/", meta.info().relativePath(f)));
            Files.createDirectories(to.getParent());
            Files.copy(from, to);
            try (RandomAccessFile raf = new RandomAccessFile(to.toFile(), "rw")) {
                for (long at = Math.max(cut, f.offset()); at < f.offset() + f.length(); at++) {
                    raf.seek(at - f.offset());
                    raf.write(0);
                }
            }
        }
    }

    private static long bytesOfPieces(Metainfo meta, int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += meta.info().pieceSize(i);
        }
        return n;
    }

    private void awaitPieces(Metainfo meta, int pieces) throws Exception {
        JsonArray[] list = {null};
        boolean reached = Eventually.within(Duration.ofSeconds(60), Duration.ofMillis(500), () -> { // each look starts a node
            list[0] = torrentsJson();
            JsonObject e = find(list[0], meta); // not there until its download has started
            return e != null && e.get("piecesDone").getAsInt() >= pieces;
        });
        if (!reached) {
            throw new AssertionError(meta.info().name() + " did not reach " + pieces + " pieces: " + list[0]);
        }
    }

    @Test
    void aRestartResumesTwoHalfDoneDownloadsAndFetchesOnlyWhatWasMissing() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) {
            Path single = Interop.content(tmp.resolve("content"), false, 41);
            Path set = Interop.content(tmp.resolve("content"), true, 42);
            Metainfo a = Interop.torrent(single, tmp.resolve("a.torrent"), tracker.announceUrl());
            Metainfo b = Interop.torrent(set, tmp.resolve("b.torrent"), tracker.announceUrl());
            int halfA = a.info().pieceCount() / 2;
            int halfB = b.info().pieceCount() / 2;
            partialCopy(tmp.resolve("content"), tmp.resolve("half"), a, halfA);
            partialCopy(tmp.resolve("content"), tmp.resolve("half"), b, halfB);

            // Run 1: one process downloads both; their only seeders hold the first half; stopped half way (SIGTERM).
            try (TorrentSession sa = seeder(a, tmp.resolve("half")); TorrentSession sb = seeder(b, tmp.resolve("half"));
                 Interop.Proc download = node("download", "a.torrent", "b.torrent", "--out", "leech", "--port", "0",
                         "--bind", "127.0.0.1", "--encryption", "off")) {
                awaitPieces(a, halfA);
                awaitPieces(b, halfB);
                download.process.destroy();
                assertThat(download.exit(Duration.ofSeconds(30))).as(download.output()).isEqualTo(130);
            }
            JsonArray afterRun1 = torrentsJson();
            long run1A = entry(afterRun1, a).get("downloaded").getAsLong();
            long run1B = entry(afterRun1, b).get("downloaded").getAsLong();
            assertThat(run1A).isGreaterThanOrEqualTo(bytesOfPieces(a, halfA));
            assertThat(run1B).isGreaterThanOrEqualTo(bytesOfPieces(b, halfB));
            assertThat(entry(afterRun1, a).get("state").getAsString()).isEqualTo("downloading");

            // Run 2: full seeders now; `serve` resumes both and fetches the rest only.
            try (TorrentSession sa = seeder(a, tmp.resolve("content")); TorrentSession sb = seeder(b, tmp.resolve("content"));
                 Interop.Proc serve = node("serve", "--port", "0", "--bind", "127.0.0.1", "--encryption", "off")) {
                int port = Integer.parseInt(serve.await(l -> l.startsWith("listening on port "), Duration.ofSeconds(30))
                        .split(" ")[3]);
                serve.await(l -> l.matches("single\\.bin +seeding .*"), Duration.ofSeconds(90));
                serve.await(l -> l.matches("set +seeding .*"), Duration.ofSeconds(90));
                serve.process.destroy();
                assertThat(serve.exit(Duration.ofSeconds(30))).as(serve.output()).isZero();
                assertThat(tracker.seen()).filteredOn(s -> s.port() == port && s.event().equals("stopped"))
                        .extracting(TrackerStub.Seen::infoHashHex).containsExactlyInAnyOrder(a.infoHash().hex(), b.infoHash().hex());
            }
            Interop.assertSameContent(single, tmp.resolve("leech/single.bin"));
            Interop.assertSameContent(set, tmp.resolve("leech/set"));
            JsonArray afterRun2 = torrentsJson();
            long run2A = entry(afterRun2, a).get("downloaded").getAsLong() - run1A;
            long run2B = entry(afterRun2, b).get("downloaded").getAsLong() - run1B;
            long missingA = a.info().totalLength() - bytesOfPieces(a, halfA);
            long missingB = b.info().totalLength() - bytesOfPieces(b, halfB);
            // what was missing, and not the half it had: at most one piece of slack for a block fetched twice
            assertThat(run2A).isBetween(missingA, missingA + PIECE);
            assertThat(run2B).isBetween(missingB, missingB + PIECE);
            assertThat(entry(afterRun2, a).get("state").getAsString()).isEqualTo("seeding");
            assertThat(entry(afterRun2, b).get("progress").getAsDouble()).isEqualTo(1.0);

            // remove --delete-data takes a's file only; b stays, and is still listed
            assertThat(run("remove", a.infoHash().hex(), "--delete-data")).isZero();
            assertThat(tmp.resolve("leech/single.bin")).doesNotExist();
            Interop.assertSameContent(set, tmp.resolve("leech/set"));
            assertThat(torrentsJson()).hasSize(1);
            try (Interop.Proc p = node("remove", a.infoHash().hex())) {
                assertThat(p.exit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(p.output()).isEqualTo("error: no remembered torrent has info hash " + a.infoHash().hex()
                        + " (see: node torrents)");
            }
        }
    }

    @Test
    void serveSeedsFromResumeDataWithoutHashingAndAnnouncesStoppedForEachOnSigterm() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) {
            Path data = tmp.resolve("data");
            Path single = Interop.content(data, false, 43);
            Path set = Interop.content(data, true, 44);
            Metainfo a = Interop.torrent(single, tmp.resolve("a.torrent"), tracker.announceUrl());
            Metainfo b = Interop.torrent(set, tmp.resolve("b.torrent"), tracker.announceUrl());
            Metainfo paused = Interop.torrent(Interop.content(tmp.resolve("other"), false, 45), tmp.resolve("p.torrent"),
                    tracker.announceUrl());
            // a: remembered by `node seed` (its check saves the resume file); b: straight into the list
            try (Interop.Proc seed = node("seed", "a.torrent", "--data", "data", "--port", "0", "--bind", "127.0.0.1",
                    "--no-tracker")) {
                seed.await(l -> l.startsWith("seeding 'single.bin'"), Duration.ofSeconds(60));
                seed.process.destroy();
                assertThat(seed.exit(Duration.ofSeconds(30))).as(seed.output()).isZero();
            }
            TorrentLibrary library = new TorrentLibrary(tmp.resolve("config/simplebt"));
            try (TorrentSession s = seeder(b, data)) { // checks the data once and saves the resume file
                assertThat(s.status().complete()).isTrue();
            }
            library.add(b, data);
            assertThat(library.load().entries()).extracting(e -> e.infoHash()).containsExactly(a.infoHash(), b.infoHash());
            library.add(paused, tmp.resolve("elsewhere"));
            library.setPaused(paused.infoHash(), true);
            // Change a byte behind the resume file's back (size and mtime kept): only a re-hash would notice.
            FileTime mtime = Files.getLastModifiedTime(single);
            try (RandomAccessFile raf = new RandomAccessFile(single.toFile(), "rw")) {
                raf.seek(10);
                raf.write(raf.read() ^ 0xff);
            }
            Files.setLastModifiedTime(single, mtime);
            try (Storage storage = new Storage(data, a.info())) {
                assertThat(PieceChecker.check(storage, n -> { }).get(0)).isFalse(); // a check would find it
            }

            try (Interop.Proc serve = node("serve", "--port", "0", "--bind", "127.0.0.1")) {
                int port = Integer.parseInt(serve.await(l -> l.startsWith("listening on port "), Duration.ofSeconds(30))
                        .split(" ")[3]);
                serve.await(l -> l.matches("single\\.bin +seeding +100\\.0%.*"), Duration.ofSeconds(60));
                serve.await(l -> l.matches("set +seeding +100\\.0%.*"), Duration.ofSeconds(60));
                Eventually.within(Duration.ofSeconds(30),
                        () -> tracker.seen().stream().filter(s -> s.port() == port && s.event().equals("started")).count() >= 2);
                serve.process.destroy(); // SIGTERM, as systemd stops a service
                assertThat(serve.exit(Duration.ofSeconds(30))).as(serve.output()).isZero();
                assertThat(serve.output()).contains("skipping 'single.bin': paused");
                assertThat(tracker.seen()).filteredOn(s -> s.port() == port)
                        .extracting(s -> s.infoHashHex() + " " + s.event())
                        .containsExactlyInAnyOrder(a.infoHash().hex() + " started", b.infoHash().hex() + " started",
                                a.infoHash().hex() + " stopped", b.infoHash().hex() + " stopped");
            }
        }
    }
}
