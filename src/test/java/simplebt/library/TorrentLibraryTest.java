package simplebt.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;

/** What the node's torrent list keeps, and that a damaged list is set aside with one clear line. */
class TorrentLibraryTest {
    private static final Instant NOW = Instant.parse("2026-12-05T05:00:00Z");

    @TempDir
    Path tmp;

    private Path config() {
        return tmp.resolve("config");
    }

    private TorrentLibrary library() {
        return new TorrentLibrary(config(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Metainfo torrent(Path dir, String name, int size) throws Exception {
        Path src = dir.resolve(name);
        Files.createDirectories(dir);
        byte[] data = new byte[size];
        new java.util.Random(name.hashCode()).nextBytes(data);
        Files.write(src, data);
        return Metainfo.parse(new TorrentBuilder(src).pieceLength(16384).build(n -> { }));
    }

    /** a.bin and b.bin, 1000 bytes each, remembered with data in tmp/data. */
    private List<Metainfo> twoRemembered() throws Exception {
        Metainfo a = torrent(tmp.resolve("data"), "a.bin", 1000);
        Metainfo b = torrent(tmp.resolve("data"), "b.bin", 1000);
        library().add(a, tmp.resolve("data"));
        library().add(b, tmp.resolve("data"));
        return List.of(a, b);
    }

    @Test
    void remembersEachTorrentWithACopyOfItsTorrentFile() throws Exception {
        Metainfo a = torrent(tmp.resolve("data"), "a.bin", 40000);
        Metainfo b = torrent(tmp.resolve("data"), "b.bin", 1000);
        library().add(a, tmp.resolve("data"));
        library().add(b, tmp.resolve("data/../data"));

        TorrentLibrary.Snapshot s = library().load();
        assertThat(s.problems()).isEmpty();
        assertThat(s.entries()).extracting(LibraryEntry::name).containsExactly("a.bin", "b.bin");
        LibraryEntry first = s.entries().get(0);
        assertThat(first.infoHash()).isEqualTo(a.infoHash());
        assertThat(first.dataDir()).isEqualTo(tmp.resolve("data").toAbsolutePath());
        assertThat(s.entries().get(1).dataDir()).isEqualTo(tmp.resolve("data").toAbsolutePath());
        assertThat(first.paused()).isFalse();
        assertThat(first.added()).isEqualTo(NOW);
        assertThat(first.uploaded()).isZero();
        assertThat(first.downloaded()).isZero();
        Path copy = config().resolve("torrent-files").resolve(a.infoHash().hex() + ".torrent");
        assertThat(Files.readAllBytes(copy)).isEqualTo(a.raw());
        assertThat(library().metainfo(first).infoHash()).isEqualTo(a.infoHash());
        // the copy carries the passkey in its announce URL: owner-only, like the login token
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(config().resolve("torrents.json")))
                .contains("\"infoHash\": \"" + a.infoHash().hex() + "\"")
                .contains("\"added\": \"2026-12-05T05:00:00Z\"")
                .contains("\"version\": 1");
    }

    @Test
    void pausedAndTotalsAreKeptAndAddingAgainKeepsTotals() throws Exception {
        Metainfo a = torrent(tmp.resolve("data"), "a.bin", 40000);
        library().add(a, tmp.resolve("data"));
        assertThat(library().setPaused(a.infoHash(), true)).isTrue();
        library().addTotals(Map.of(a.infoHash(), new TorrentLibrary.Transferred(300, 40000)));
        library().addTotals(Map.of(a.infoHash(), new TorrentLibrary.Transferred(700, 0)));
        LibraryEntry e = library().load().entries().get(0);
        assertThat(e.paused()).isTrue();
        assertThat(e.uploaded()).isEqualTo(1000);
        assertThat(e.downloaded()).isEqualTo(40000);
        assertThat(e.ratio(40000)).isEqualTo(0.025);

        LibraryEntry again = library().add(a, tmp.resolve("elsewhere"));
        assertThat(again.dataDir()).isEqualTo(tmp.resolve("elsewhere").toAbsolutePath());
        assertThat(again.paused()).isFalse();
        assertThat(again.uploaded()).isEqualTo(1000);
        assertThat(library().load().entries()).containsExactly(again);
    }

    @Test
    void aSeedersRatioCountsCopiesOfTheTorrent() {
        LibraryEntry seeded = new LibraryEntry(simplebt.metainfo.InfoHash.fromHex("00".repeat(20)), "x",
                Path.of("/d"), false, NOW, 3000, 0);
        assertThat(seeded.ratio(1000)).isEqualTo(3.0);
    }

    @Test
    void removeForgetsTheEntryAndItsTorrentCopy() throws Exception {
        List<Metainfo> two = twoRemembered();
        Metainfo a = two.get(0);
        Metainfo b = two.get(1);
        assertThat(library().remove(a.infoHash())).hasValueSatisfying(e -> assertThat(e.name()).isEqualTo("a.bin"));
        assertThat(library().remove(a.infoHash())).isEmpty();
        assertThat(library().load().entries()).extracting(LibraryEntry::name).containsExactly("b.bin");
        assertThat(library().torrentFile(a.infoHash())).doesNotExist();
        assertThat(library().torrentFile(b.infoHash())).exists();
    }

    @Test
    void aCorruptListIsMovedAsideWithOneLineAndNotOverwritten() throws Exception {
        Files.createDirectories(config());
        Files.writeString(config().resolve("torrents.json"), "{\"version\": 1, \"torrents\": [ {oops");
        TorrentLibrary.Snapshot s = library().load();
        assertThat(s.entries()).isEmpty();
        Path aside = config().resolve("torrents.json.corrupt-20261205T050000Z");
        assertThat(s.problems()).singleElement().asString()
                .contains("is corrupt (not valid JSON)").contains(aside.toString()).doesNotContain("\n");
        assertThat(Files.readString(aside)).isEqualTo("{\"version\": 1, \"torrents\": [ {oops");
        assertThat(config().resolve("torrents.json")).doesNotExist();

        // a later add starts a fresh list and leaves the kept copy alone
        library().add(torrent(tmp.resolve("data"), "a.bin", 1000), tmp.resolve("data"));
        assertThat(library().load().entries()).hasSize(1);
        assertThat(Files.readString(aside)).startsWith("{\"version\": 1, \"torrents\": [ {oops");
    }

    @Test
    void aSecondCorruptionGetsItsOwnAsideName() throws Exception {
        Files.createDirectories(config());
        for (String text : List.of("[]", "{\"version\": 2, \"torrents\": []}")) {
            Files.writeString(config().resolve("torrents.json"), text);
            assertThat(library().load().problems()).singleElement().asString().contains("is corrupt");
        }
        assertThat(Files.readString(config().resolve("torrents.json.corrupt-20261205T050000Z"))).isEqualTo("[]");
        assertThat(Files.readString(config().resolve("torrents.json.corrupt-20261205T050000Z-1"))).contains("\"version\": 2");
    }

    @Test
    void anUnreadableListIsMovedAside() throws Exception {
        // Tests may run as root, which reads any mode-000 file: a folder in its place cannot be read by anyone.
        Files.createDirectories(config().resolve("torrents.json"));
        TorrentLibrary.Snapshot s = library().load();
        assertThat(s.entries()).isEmpty();
        assertThat(s.problems()).singleElement().asString().contains("cannot be read").contains("corrupt-20261205T050000Z");
        assertThat(config().resolve("torrents.json.corrupt-20261205T050000Z")).isDirectory();
    }

    @Test
    void anInvalidEntryIsReportedAndKeptAsideWhileTheOthersLoad() throws Exception {
        List<Metainfo> two = twoRemembered();
        Metainfo a = two.get(0);
        Metainfo b = two.get(1);
        Path list = config().resolve("torrents.json");
        String original = Files.readString(list).replace("\"infoHash\": \"" + a.infoHash().hex(), "\"infoHash\": \"nothex");
        Files.writeString(list, original);

        TorrentLibrary.Snapshot s = library().load();
        assertThat(s.entries()).extracting(LibraryEntry::name).containsExactly("b.bin");
        assertThat(s.problems()).singleElement().asString()
                .contains("1 invalid entry (entry 1: infoHash: an info hash is 40 hex digits)")
                .contains("loaded the other 1");
        assertThat(Files.readString(config().resolve("torrents.json.corrupt-20261205T050000Z"))).isEqualTo(original);
        assertThat(library().load().problems()).isEmpty(); // said once; the good entries were written back
    }

    @Test
    void anEntryWhoseTorrentCopyIsMissingIsReportedAndTheOthersLoad() throws Exception {
        List<Metainfo> two = twoRemembered();
        Metainfo a = two.get(0);
        Metainfo b = two.get(1);
        Files.delete(library().torrentFile(a.infoHash()));

        TorrentLibrary.Snapshot s = library().load();
        assertThat(s.entries()).hasSize(2); // kept: restoring the file brings it back
        assertThat(s.problems()).singleElement().asString()
                .contains(a.infoHash().hex()).contains("is missing").contains("node remove " + a.infoHash().hex());
        assertThatThrownBy(() -> library().metainfo(s.entries().get(0))).hasMessageContaining("missing");
        assertThat(library().metainfo(s.entries().get(1)).info().name()).isEqualTo("b.bin");
    }

    @Test
    void aTorrentCopyOfAnotherTorrentIsRefused() throws Exception {
        Metainfo a = torrent(tmp.resolve("data"), "a.bin", 1000);
        Metainfo b = torrent(tmp.resolve("data"), "b.bin", 1000);
        LibraryEntry entry = library().add(a, tmp.resolve("data"));
        Files.write(library().torrentFile(a.infoHash()), b.raw());
        assertThatThrownBy(() -> library().metainfo(entry)).hasMessageContaining("holds torrent " + b.infoHash().hex());
    }

    @Test
    void concurrentAddsFromTwoInstancesLoseNothing() throws Exception {
        List<Metainfo> metas = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            metas.add(torrent(tmp.resolve("data"), "t" + i + ".bin", 100 + i));
        }
        TorrentLibrary one = library();
        TorrentLibrary two = library();
        List<Callable<LibraryEntry>> jobs = new ArrayList<>();
        for (int i = 0; i < metas.size(); i++) {
            TorrentLibrary lib = i % 2 == 0 ? one : two;
            Metainfo m = metas.get(i);
            jobs.add(() -> lib.add(m, tmp.resolve("data")));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (Future<LibraryEntry> f : pool.invokeAll(jobs)) {
                f.get();
            }
        }
        assertThat(library().load().entries()).hasSize(12);
        try (Stream<Path> files = Files.list(config())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void noListMeansNoTorrentsAndNoFolderCreated() throws Exception {
        assertThat(library().load().entries()).isEmpty();
        assertThat(library().setPaused(simplebt.metainfo.InfoHash.fromHex("00".repeat(20)), true)).isFalse();
        assertThat(config()).doesNotExist();
        assertThat(new String(LibraryJson.encode(List.of()), StandardCharsets.UTF_8)).contains("\"torrents\": []");
    }
}
