package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import simplebt.metainfo.Metainfo;

/**
 * The create and info commands through {@link NodeMain#run}, in this JVM: exit codes, what
 * the user sees on stdout/stderr, and the files left on disk.
 */
class NodeCommandsTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** Runs the node with stdout/stderr captured; the tests run one at a time, so swapping is safe. */
    static Result run(String... argv) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = NodeMain.run(argv);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    Path content(String name, int length) throws Exception {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, data);
    }

    static void assertOneErrorLine(Result r, String... parts) {
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("error: ").contains(parts);
    }

    /** Everything in a folder, so tests can see that nothing (not even a temp file) was left. */
    static List<String> listing(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // --- create ---

    @Test
    void createWritesTheTorrentAndPrintsItsInfoHash() throws Exception {
        Path file = content("data.bin", 100_000);
        Path out = tmp.resolve("out/data.torrent");

        Result r = run("create", file.toString(), "-o", out.toString(), "--quiet");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        Metainfo m = Metainfo.read(out);
        assertThat(m.info().name()).isEqualTo("data.bin");
        assertThat(r.out()).contains("info hash: " + m.infoHash().hex() + "\n");
        assertThat(r.out().lines().filter(l -> l.startsWith("info hash: ")).findFirst().orElseThrow())
                .matches("info hash: [0-9a-f]{40}");
    }

    @Test
    void createOptionsEndUpInTheTorrent() throws Exception {
        Path dir = tmp.resolve("folder");
        content("folder/a.txt", 5000);
        content("folder/sub/b.txt", 70_000);
        Path out = tmp.resolve("f.torrent");

        Result r = run("create", dir.toString(), "--output", out.toString(), "--piece-length", "64k",
                "--tracker", "http://127.0.0.1:1/announce", "--tracker", "http://127.0.0.1:2/announce",
                "--private", "--comment", "hello there", "--quiet");

        assertThat(r.exit()).as(r.err()).isZero();
        Metainfo m = Metainfo.read(out);
        assertThat(m.info().pieceLength()).isEqualTo(65536);
        assertThat(m.info().isPrivate()).isTrue();
        assertThat(m.comment()).contains("hello there");
        assertThat(m.trackers()).containsExactly("http://127.0.0.1:1/announce", "http://127.0.0.1:2/announce");
        assertThat(m.info().files()).hasSize(2);
    }

    @Test
    void createRefusesToOverwriteWithoutForce() throws Exception {
        Path file = content("data.bin", 1000);
        Path out = tmp.resolve("data.torrent");
        Files.writeString(out, "precious");

        Result r = run("create", file.toString(), "-o", out.toString());

        assertThat(r.exit()).isNotZero();
        assertOneErrorLine(r, out.toString(), "already exists", "--force");
        assertThat(Files.readString(out)).isEqualTo("precious");
        assertThat(listing(tmp)).containsExactly("data.bin", "data.torrent");
    }

    @Test
    void createWithForceOverwrites() throws Exception {
        Path file = content("data.bin", 1000);
        Path out = tmp.resolve("data.torrent");
        Files.writeString(out, "old");

        Result r = run("create", file.toString(), "-o", out.toString(), "--force", "--quiet");

        assertThat(r.exit()).isZero();
        assertThat(Metainfo.read(out).info().totalLength()).isEqualTo(1000);
        assertThat(listing(tmp)).containsExactly("data.bin", "data.torrent");
    }

    @Test
    void createOfAMissingPathLeavesNothing() throws Exception {
        Path out = tmp.resolve("out/x.torrent");
        Result r = run("create", tmp.resolve("nope").toString(), "-o", out.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertOneErrorLine(r, "nope: no such file or folder");
        assertThat(listing(tmp)).isEmpty();
    }

    @Test
    void createOfAnEmptyFolderLeavesNothing() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        Path out = tmp.resolve("out/x.torrent");
        Result r = run("create", dir.toString(), "-o", out.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertOneErrorLine(r, "empty: folder has no data to share");
        assertThat(r.out()).isEmpty(); // failed before any progress output
        assertThat(listing(tmp)).containsExactly("empty");
    }

    @Test
    void createOfAnEmptyFileLeavesNothing() throws Exception {
        Path file = Files.createFile(tmp.resolve("zero.bin"));
        Result r = run("create", file.toString(), "-o", tmp.resolve("x.torrent").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertOneErrorLine(r, "zero.bin: file is empty");
        assertThat(listing(tmp)).containsExactly("zero.bin");
    }

    @Test
    void createRejectsABadPieceLength() throws Exception {
        Path file = content("data.bin", 1000);
        for (String bad : List.of("1000", "8k", "128m", "abc")) {
            Result r = run("create", file.toString(), "-o", tmp.resolve("x.torrent").toString(), "--piece-length", bad);
            assertThat(r.exit()).as(bad).isEqualTo(2);
            assertThat(r.errLines()).as(bad).hasSize(1);
            assertThat(r.errLines().get(0)).startsWith("error: ");
        }
        assertThat(listing(tmp)).containsExactly("data.bin");
    }

    @Test
    void createNeedsExactlyOnePath() {
        Result r = run("create");
        assertThat(r.exit()).isEqualTo(2);
        assertOneErrorLine(r, "create needs exactly one PATH", "node create --help");
    }

    @Test
    void createShowsPlainProgressLinesWhenNotATerminal() throws Exception {
        // Under the test runner stdout is a pipe or file, so the bar must not redraw with \r.
        Path file = content("data.bin", 300_000);
        Result r = run("create", file.toString(), "-o", tmp.resolve("x.torrent").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain("\r").doesNotContain("\033[");
        assertThat(r.out()).containsPattern("(?m)^hashing 100\\.0%  293 KiB / 293 KiB .* in 0:0\\d$");
        assertThat(r.out()).contains("created " + tmp.resolve("x.torrent"));
    }

    // --- info ---

    Path torrentOfAFolder() throws Exception {
        content("show/a.txt", 5000);
        content("show/sub/b.bin", 70_000);
        Path out = tmp.resolve("show.torrent");
        Result r = run("create", tmp.resolve("show").toString(), "-o", out.toString(),
                "--tracker", "http://127.0.0.1:1/announce", "--comment", "c1", "--quiet");
        assertThat(r.exit()).isZero();
        return out;
    }

    @Test
    void infoPrintsTheSummaryAndTheFileTable() throws Exception {
        Path t = torrentOfAFolder();
        Metainfo m = Metainfo.read(t);

        Result r = run("info", t.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains(
                "name:         show\n",
                "info hash:    " + m.infoHash().hex() + "\n",
                "size:         73.2 KiB (75000 bytes)\n",
                "pieces:       5 x 16.0 KiB\n",
                "private:      no\n",
                "trackers:     http://127.0.0.1:1/announce\n",
                "comment:      c1\n",
                "created by:   simplebt");
        assertThat(r.out()).contains("""
                No.  Path            Size
                ---  --------------  --------
                  1  show/a.txt       4.9 KiB
                  2  show/sub/b.bin  68.4 KiB
                """);
    }

    @Test
    void infoJsonHasTheFields() throws Exception {
        Path t = torrentOfAFolder();
        Metainfo m = Metainfo.read(t);

        Result r = run("info", t.toString(), "--json");

        assertThat(r.exit()).isZero();
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(j.get("name").getAsString()).isEqualTo("show");
        assertThat(j.get("infoHash").getAsString()).isEqualTo(m.infoHash().hex());
        assertThat(j.get("totalLength").getAsLong()).isEqualTo(75000);
        assertThat(j.get("pieceLength").getAsInt()).isEqualTo(16384);
        assertThat(j.get("pieceCount").getAsInt()).isEqualTo(5);
        assertThat(j.get("private").getAsBoolean()).isFalse();
        assertThat(j.get("trackers").getAsJsonArray().get(0).getAsString()).isEqualTo("http://127.0.0.1:1/announce");
        assertThat(j.get("comment").getAsString()).isEqualTo("c1");
        assertThat(j.get("creationDate").getAsLong()).isPositive();
        var files = j.get("files").getAsJsonArray();
        assertThat(files).hasSize(2);
        assertThat(files.get(1).getAsJsonObject().get("path").getAsString()).isEqualTo("show/sub/b.bin");
        assertThat(files.get(1).getAsJsonObject().get("length").getAsLong()).isEqualTo(70_000);
    }

    @Test
    void infoMagnetPrintsTheLinkWhichParsesBackToTheTorrent() throws Exception {
        Path t = torrentOfAFolder();
        Metainfo m = Metainfo.read(t);

        Result r = run("info", t.toString(), "--magnet");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("magnet:?xt=urn:btih:" + m.infoHash().hex()
                + "&dn=show&tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce\n");
        simplebt.magnet.MagnetLink link = simplebt.magnet.MagnetLink.parse(r.out().strip());
        assertThat(link.infoHash()).isEqualTo(m.infoHash());
        assertThat(link.trackers()).containsExactly("http://127.0.0.1:1/announce");
    }

    @Test
    void infoTakesJsonOrMagnetNotBoth() throws Exception {
        Result r = run("info", torrentOfAFolder().toString(), "--magnet", "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertOneErrorLine(r, "info takes --json or --magnet, not both");
    }

    @Test
    void downloadOfABadMagnetLinkSaysWhichPartIsWrongAndExits2() {
        Result r = run("download", "magnet:?xt=urn:btih:1234&dn=x", "--out", tmp.resolve("dl").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertOneErrorLine(r, "magnet link info hash (xt) must be 40 hex or 32 base32 characters, got 4");
        assertThat(tmp.resolve("dl")).doesNotExist();
    }

    @Test
    void infoOfAMissingFile() {
        Result r = run("info", tmp.resolve("gone.torrent").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertOneErrorLine(r, "gone.torrent: no such file or folder");
    }

    @Test
    void infoOfAFolder() {
        Result r = run("info", tmp.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertOneErrorLine(r, "is a folder, not a .torrent file");
    }

    @Test
    void infoOfABadTorrentNamesTheField() throws Exception {
        Path t = Files.writeString(tmp.resolve("bad.torrent"), "d4:infod6:lengthi-5e4:name1:x12:piece lengthi16384e6:pieces0:ee");
        Result r = run("info", t.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertOneErrorLine(r, "bad torrent: info.length: negative: -5");
    }

    @Test
    void infoOfNotATorrent() throws Exception {
        Path t = Files.writeString(tmp.resolve("page.torrent"), "<html>");
        Result r = run("info", t.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertOneErrorLine(r, "bad torrent: not valid bencode: expected i, l, d or a digit at byte 0");
    }

    // --- help and usage errors ---

    @Test
    void helpListsTheCommands() {
        for (String[] argv : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"})) {
            Result r = run(argv);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).startsWith("usage: java -jar node.jar").contains("  create ", "  info ");
        }
    }

    @Test
    void everyCommandIsFoundByItsOwnName() {
        NodeMain.commands().forEach((name, command) -> assertThat(command.name()).isEqualTo(name));
    }

    @Test
    void everyCommandHasHelp() {
        for (String name : NodeMain.commands().keySet()) {
            Result r = run(name, "--help");
            assertThat(r.exit()).as(name).isZero();
            assertThat(r.out()).as(name).startsWith("usage: java -jar node.jar " + name);
            assertThat(r.err()).as(name).isEmpty();
        }
    }

    @Test
    void unknownCommandExits2() {
        Result r = run("frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertOneErrorLine(r, "unknown command 'frobnicate'", "--help");
    }

    @Test
    void unknownOptionExits2() {
        Result r = run("info", "x.torrent", "--colour");
        assertThat(r.exit()).isEqualTo(2);
        assertOneErrorLine(r, "unknown option --colour");
    }

    @Test
    void missingOptionValueExits2() {
        Result r = run("create", "x", "--tracker");
        assertThat(r.exit()).isEqualTo(2);
        assertOneErrorLine(r, "option --tracker needs a value");
    }

    @Test
    void ioErrorsGetAReadableLine() {
        assertThat(NodeMain.describe(new java.nio.file.NoSuchFileException("a.torrent"))).isEqualTo("a.torrent: no such file or folder");
        assertThat(NodeMain.describe(new java.nio.file.AccessDeniedException("/root/x"))).isEqualTo("/root/x: permission denied");
        assertThat(NodeMain.describe(new java.nio.file.NoSuchFileException("a", null, "custom"))).isEqualTo("a: custom");
        assertThat(NodeMain.describe(new java.io.IOException("disk full"))).isEqualTo("disk full");
    }
}
