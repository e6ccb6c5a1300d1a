package simplebt.node;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import simplebt.bencode.BDict;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeEncoder;

/**
 * A corpus of hostile .torrent files built as raw bencode (the parser refuses to build them):
 * path traversal in every form, absurd sizes and deep nesting. {@code info} and
 * {@code download --out DIR} must each end with one "error: " line and a non-zero exit, and
 * nothing may appear anywhere in the test's folder tree except the torrent files themselves.
 */
class MaliciousTorrentTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> corpus() {
        List<Arguments> cases = new ArrayList<>();
        // Path traversal in a multi-file torrent's path list.
        for (List<String> path : List.<List<String>>of(
                List.of("..", "x"), List.of("a", "..", "..", "x"), List.of("..", "..", "..", "..", "tmp", "x"),
                List.of("/etc/x"), List.of("/", "etc", "x"), List.of("", "etc", "x"), List.of("a", "", "x"),
                List.of("C:\\x"), List.of("C:x"), List.of("c:", "x"), List.of("..\\x"), List.of("a\\..\\..\\x"),
                List.of("a/../../x"), List.of("x\0.txt"), List.of("ok", "\0"), List.of("."), List.of(".", "x"),
                List.of())) {
            cases.add(Arguments.of("path " + path.toString().replace("\0", "\\0"), multi("folder", path, 100)));
        }
        // ... and in the name, which is the single file's name or the folder's.
        for (String name : List.of("..", "../x", "/etc/x", "C:\\x", "..\\x", "x\0y", "", ".", "a".repeat(300))) {
            cases.add(Arguments.of("single name '" + name.replace("\0", "\\0") + "'", single(name, 100, 16384, 1)));
            cases.add(Arguments.of("folder name '" + name.replace("\0", "\\0") + "'", multi(name, List.of("x"), 100)));
        }
        // Sizes: negative, zero piece length, counts that do not match, sums that overflow.
        cases.add(Arguments.of("negative length", single("x", -1, 16384, 1)));
        cases.add(Arguments.of("negative piece length", single("x", 100, -16384, 1)));
        cases.add(Arguments.of("zero piece length", single("x", 100, 0, 1)));
        cases.add(Arguments.of("huge piece count (2^50 bytes, 1 hash)", single("x", 1L << 50, 16384, 1)));
        cases.add(Arguments.of("huge piece count (1-byte pieces)", single("x", Long.MAX_VALUE, 1, 1)));
        cases.add(Arguments.of("piece length over int", single("x", 1L << 40, 1L << 33, 1)));
        cases.add(Arguments.of("negative file length", multiFiles("folder", List.of(file(-5, "a"), file(105, "b")), 1)));
        cases.add(Arguments.of("file lengths overflow a long",
                multiFiles("folder", List.of(file(Long.MAX_VALUE, "a"), file(Long.MAX_VALUE, "b")), 1)));
        cases.add(Arguments.of("duplicate file paths", multiFiles("folder", List.of(file(50, "a"), file(50, "a")), 1)));
        cases.add(Arguments.of("pieces not a multiple of 20", raw(BDict.builder().put("length", 100).put("name", "x")
                .put("piece length", 16384).put("pieces", new byte[21]).build())));
        // Raw bencode the encoder cannot even produce.
        cases.add(Arguments.of("integer overflow",
                ("d4:infod6:lengthi99999999999999999999999e4:name1:x12:piece lengthi16384e6:pieces20:"
                        + "\0".repeat(20) + "ee").getBytes(ISO_8859_1)));
        cases.add(Arguments.of("deep nesting (100,000 lists)",
                ("d4:infod1:x" + "l".repeat(100_000) + "e".repeat(100_000) + "ee").getBytes(ISO_8859_1)));
        cases.add(Arguments.of("deep nesting in path",
                ("d4:infod5:filesld6:lengthi1e4:path" + "l".repeat(5_000) + "e".repeat(5_000) + "ee4:name1:x"
                        + "12:piece lengthi16384e6:pieces20:" + "\0".repeat(20) + "ee").getBytes(ISO_8859_1)));
        cases.add(Arguments.of("info is a list", BencodeEncoder.encode(BDict.builder().put("info", BList.of()).build())));
        cases.add(Arguments.of("files is a string", raw(BDict.builder().put("files", "x").put("name", "x")
                .put("piece length", 16384).put("pieces", new byte[20]).build())));
        cases.add(Arguments.of("truncated", java.util.Arrays.copyOf(single("x", 100, 16384, 1), 40)));
        cases.add(Arguments.of("empty file", new byte[0]));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyHostileTorrentIsOneClearErrorAndWritesNothing(String what, byte[] torrent) throws Exception {
        Path torrents = Files.createDirectories(tmp.resolve("torrents"));
        Path file = Files.write(torrents.resolve("evil.torrent"), torrent);
        // Nested, so a ".." escape from the download folder would land inside tmp where we look.
        Path out = tmp.resolve("a").resolve("b").resolve("downloads");
        List<String> before = tree(tmp);

        NodeCommandsTest.Result info = run("info", file.toString());
        assertThat(info.exit()).as(what + ": info exit").isNotZero();
        NodeCommandsTest.assertOneErrorLine(info, "torrent");

        NodeCommandsTest.Result download = run("download", file.toString(), "--out", out.toString(), "--no-tracker",
                "--quiet");
        assertThat(download.exit()).as(what + ": download exit").isNotZero();
        NodeCommandsTest.assertOneErrorLine(download, "torrent");
        assertThat(download.err()).doesNotContain("Exception").doesNotContain("\tat ");

        // Nothing written anywhere: not outside the download folder, not even inside it.
        assertThat(tree(tmp)).as(what).isEqualTo(before);
        assertThat(Path.of("/etc/x")).doesNotExist();
    }

    private static NodeCommandsTest.Result run(String... argv) {
        // A parser that looped or a download that started would hang: bound each run.
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> NodeCommandsTest.run(argv));
    }

    private static byte[] single(String name, long length, long pieceLength, int hashes) {
        return raw(BDict.builder().put("length", length).put("name", name.getBytes(UTF_8))
                .put("piece length", pieceLength).put("pieces", new byte[20 * hashes]).build());
    }

    private static byte[] multi(String name, List<String> path, long length) {
        return multiFiles(name, List.of(file(length, path.toArray(String[]::new))), 1);
    }

    private static byte[] multiFiles(String name, List<BValue> files, int hashes) {
        return raw(BDict.builder().put("files", new BList(files)).put("name", name.getBytes(UTF_8))
                .put("piece length", 16384).put("pieces", new byte[20 * hashes]).build());
    }

    private static BDict file(long length, String... path) {
        return BDict.builder().put("length", length)
                .put("path", new BList(Stream.of(path).<BValue>map(p -> new BString(p.getBytes(UTF_8))).toList())).build();
    }

    private static byte[] raw(BDict info) {
        return BencodeEncoder.encode(BDict.builder().put("announce", "http://127.0.0.1:9/announce").put("info", info)
                .build());
    }

    /** Every file and folder under dir, recursively, relative to it. */
    private static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
