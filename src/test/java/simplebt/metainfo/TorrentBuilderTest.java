package simplebt.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BencodeEncoder;

/** TorrentBuilder and ContentScanner: what goes in, in which order, and the piece hashes. */
class TorrentBuilderTest {
    static final int PIECE = 32 << 10; // 2^15, the smallest piece length mktorrent accepts
    /** Under a POSIX locale Java cannot create non-ASCII file names (run-tests.sh sets UTF-8). */
    static final boolean UTF8_NAMES = "UTF-8".equals(System.getProperty("sun.jnu.encoding"));

    @TempDir
    Path tmp;

    static void write(Path file, int length, long seed) throws IOException {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }

    /**
     * A folder exercising every ordering and size case: nested dirs, an empty file, a file of
     * exactly one piece, sizes that are not multiples of the piece length, and names whose
     * byte order ("a-b" < "a.txt" < "a/b" < "é") differs from a per-component sort.
     */
    static Path sampleFolder(Path parent) throws IOException {
        Path root = parent.resolve("sample");
        write(root.resolve("a/b"), 5000, 1);
        write(root.resolve("a-b"), PIECE, 2);                // exactly one piece
        write(root.resolve("a.txt"), 100_000, 3);            // spans pieces, not a multiple
        Files.createFile(root.resolve("empty"));             // empty files are listed, hold no bytes
        write(root.resolve("sub/deeper/z.bin"), 70_001, 4);
        write(root.resolve("B"), 1, 5);                      // 'B' (0x42) sorts before 'a'
        if (UTF8_NAMES) {
            write(root.resolve("\u00e9t\u00e9.txt"), 777, 6); // non-ASCII name, sorts last as UTF-8
        }
        return root;
    }

    /** The info hash computed from scratch: concatenate the files in order, SHA-1 each piece. */
    static byte[] expectedPieces(List<Path> filesInOrder, int pieceLength) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path f : filesInOrder) {
            all.writeBytes(Files.readAllBytes(f));
        }
        byte[] data = all.toByteArray();
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        for (int at = 0; at < data.length; at += pieceLength) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(data, at, Math.min(pieceLength, data.length - at));
            pieces.writeBytes(sha1.digest());
        }
        return pieces.toByteArray();
    }

    @Test
    void singleFile() throws Exception {
        Path file = tmp.resolve("movie.bin");
        write(file, 3 * PIECE + 123, 7);
        Metainfo m = Metainfo.parse(new TorrentBuilder(file).pieceLength(PIECE).build(done -> { }));

        Info info = m.info();
        assertThat(info.multiFile()).isFalse();
        assertThat(info.name()).isEqualTo("movie.bin");
        assertThat(info.totalLength()).isEqualTo(3 * PIECE + 123);
        assertThat(info.pieceCount()).isEqualTo(4);
        assertThat(info.pieceHashes()).isEqualTo(expectedPieces(List.of(file), PIECE));
    }

    @Test
    void folderFilesComeInUtf8ByteOrderOfTheirPaths() throws Exception {
        Path root = sampleFolder(tmp);
        Metainfo m = Metainfo.parse(new TorrentBuilder(root).pieceLength(PIECE).build(done -> { }));

        Info info = m.info();
        assertThat(info.multiFile()).isTrue();
        assertThat(info.name()).isEqualTo("sample");
        List<String> paths = new ArrayList<>(List.of("B", "a-b", "a.txt", "a/b", "empty", "sub/deeper/z.bin"));
        List<Long> lengths = new ArrayList<>(List.of(1L, (long) PIECE, 100_000L, 5000L, 0L, 70_001L));
        if (UTF8_NAMES) {
            paths.add("\u00e9t\u00e9.txt");
            lengths.add(777L);
        }
        assertThat(info.files()).extracting(FileEntry::displayPath).containsExactlyElementsOf(paths);
        assertThat(info.files()).extracting(FileEntry::length).containsExactlyElementsOf(lengths);
        List<Path> order = info.files().stream().map(f -> root.resolve(f.displayPath())).toList();
        assertThat(info.pieceHashes()).isEqualTo(expectedPieces(order, PIECE));
    }

    @Test
    void piecesSpanningReadsAndFilesHashAsTheConcatenationOnAnyThreadCount() throws Exception {
        // Several PieceHasher reads (MIN_READ each), files ending inside pieces and inside reads.
        Path root = Files.createDirectories(tmp.resolve("big"));
        int[] sizes = {PieceHasher.MIN_READ + 7, 3, 2 * PieceHasher.MIN_READ - 5, 16384, 700_001};
        List<Path> order = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            Path f = root.resolve("f" + i);
            write(f, sizes[i], 40 + i);
            order.add(f);
        }
        for (int pieceLength : new int[] {16384, 1 << 18, 1 << 21}) {
            byte[] expected = expectedPieces(order, pieceLength);
            for (int threads : new int[] {1, 2, 3}) {
                TorrentBuilder.Created created = new TorrentBuilder(root).pieceLength(pieceLength).threads(threads)
                        .create(d -> { });
                Metainfo m = Metainfo.parse(created.bytes());
                assertThat(m.info().pieceHashes()).as("%d-byte pieces, %d threads", pieceLength, threads)
                        .isEqualTo(expected);
                assertThat(created.infoHash()).isEqualTo(m.infoHash());
                assertThat(created.pieceCount()).isEqualTo(m.info().pieceCount());
                assertThat(created.pieceLength()).isEqualTo(pieceLength);
            }
        }
    }

    @Test
    void optionalFieldsAreWritten() throws Exception {
        Path file = tmp.resolve("x");
        write(file, 1000, 8);
        byte[] torrent = new TorrentBuilder(file)
                .tracker("http://one/announce").tracker("http://two/announce")
                .isPrivate(true).comment("hello").createdBy("tests")
                .creationDate(Instant.ofEpochSecond(1_600_000_000L))
                .build(done -> { });
        Metainfo m = Metainfo.parse(torrent);
        assertThat(m.announce()).contains("http://one/announce");
        assertThat(m.announceList()).containsExactly(List.of("http://one/announce"), List.of("http://two/announce"));
        assertThat(m.info().isPrivate()).isTrue();
        assertThat(m.comment()).contains("hello");
        assertThat(m.createdBy()).contains("tests");
        assertThat(m.creationDate()).contains(Instant.ofEpochSecond(1_600_000_000L));
        assertThat(BencodeEncoder.encode(m.root())).isEqualTo(torrent); // our output is canonical
    }

    /**
     * Every byte of a folder's .torrent with every optional field, spelled out: the builder and
     * the encoder were rewritten without lambdas and pattern switches for start-up time, and
     * the output must not move by a byte (the info hash is shared with every other client).
     */
    @Test
    void aFolderTorrentIsExactlyTheseBytes() throws Exception {
        Path root = tmp.resolve("album");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/b.txt"), "de");
        Files.writeString(root.resolve("a.txt"), "abc");
        byte[] torrent = new TorrentBuilder(root).pieceLength(16384)
                .tracker("http://one/a").tracker("http://two/a")
                .isPrivate(true).comment("hi").createdBy("tests")
                .creationDate(Instant.ofEpochSecond(1_600_000_000L))
                .build(done -> { });
        byte[] pieceHash = MessageDigest.getInstance("SHA-1").digest("abcde".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(("d8:announce12:http://one/a13:announce-listll12:http://one/ael12:http://two/aee"
                + "7:comment2:hi10:created by5:tests13:creation datei1600000000e"
                + "4:infod5:filesld6:lengthi3e4:pathl5:a.txteed6:lengthi2e4:pathl3:sub5:b.txteee"
                + "4:name5:album12:piece lengthi16384e6:pieces20:").getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(pieceHash);
        expected.writeBytes("7:privatei1eee".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(torrent, StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(expected.toByteArray(), StandardCharsets.ISO_8859_1));
    }

    /**
     * `create` makes its output file in the meanwhile (while the hashing threads wait for the
     * SHA-1 provider): it must run on the calling thread, not change a byte of the result, and a
     * failure there must end the build with that error and no hashing thread left running.
     */
    @Test
    void meanwhileRunsOnTheCallingThreadAndItsFailureEndsTheBuild() throws Exception {
        Path file = tmp.resolve("m.bin");
        write(file, 3 * PieceHasher.MIN_READ + 5, 19);
        Instant when = Instant.ofEpochSecond(1);
        List<Thread> ranOn = new ArrayList<>();
        byte[] with = new TorrentBuilder(file).pieceLength(16384).threads(2).creationDate(when)
                .create(d -> { }, () -> ranOn.add(Thread.currentThread())).bytes();
        byte[] without = new TorrentBuilder(file).pieceLength(16384).threads(2).creationDate(when).build(d -> { });
        assertThat(ranOn).containsExactly(Thread.currentThread());
        assertThat(with).isEqualTo(without);

        IOException e = catchThrowableOfType(IOException.class, () -> new TorrentBuilder(file)
                .pieceLength(16384).threads(3)
                .create(d -> { }, () -> {
                    throw new IOException("output refused");
                }));
        assertThat(e).hasMessage("output refused");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("hash-"));
    }

    @Test
    void oneTrackerGivesNoAnnounceList() throws Exception {
        Path file = tmp.resolve("x");
        write(file, 10, 9);
        Metainfo m = Metainfo.parse(new TorrentBuilder(file).tracker("http://one/announce").build(done -> { }));
        assertThat(m.announceList()).isEmpty();
        assertThat(m.root().has("announce-list")).isFalse();
    }

    @Test
    void threadCountDoesNotChangeTheResult() throws Exception {
        Path root = sampleFolder(tmp);
        Instant when = Instant.ofEpochSecond(1);
        byte[] one = new TorrentBuilder(root).pieceLength(16384).threads(1).creationDate(when).build(d -> { });
        byte[] four = new TorrentBuilder(root).pieceLength(16384).threads(4).creationDate(when).build(d -> { });
        assertThat(four).isEqualTo(one);
    }

    /**
     * Deliberate: hidden files/folders (".git", ".DS_Store") are clutter, and symlinks could
     * reach outside the folder or loop. mktorrent includes the former and follows the latter,
     * so for folders that contain them our info hash differs from mktorrent's on purpose.
     */
    @Test
    void hiddenFilesAndSymlinksAreLeftOut() throws Exception {
        Path plain = sampleFolder(tmp.resolve("plain"));
        Path cluttered = sampleFolder(tmp.resolve("cluttered"));
        write(cluttered.resolve(".hidden"), 10, 10);
        write(cluttered.resolve(".git/config"), 10, 11);
        write(cluttered.resolve("sub/.DS_Store"), 10, 12);
        Files.createSymbolicLink(cluttered.resolve("link-to-file"), cluttered.resolve("a.txt"));
        Files.createSymbolicLink(cluttered.resolve("link-to-dir"), cluttered.resolve("sub"));
        Files.createSymbolicLink(cluttered.resolve("loop"), cluttered);

        Instant when = Instant.ofEpochSecond(1);
        byte[] a = new TorrentBuilder(plain).pieceLength(PIECE).creationDate(when).build(d -> { });
        byte[] b = new TorrentBuilder(cluttered).pieceLength(PIECE).creationDate(when).build(d -> { });
        assertThat(Metainfo.parse(b).infoHash()).isEqualTo(Metainfo.parse(a).infoHash());
    }

    @Test
    void aSymlinkGivenAsTheSourceIsFollowed() throws Exception {
        Path file = tmp.resolve("real.bin");
        write(file, 1000, 13);
        Path link = tmp.resolve("link.bin");
        Files.createSymbolicLink(link, file);
        Metainfo m = Metainfo.parse(new TorrentBuilder(link).build(d -> { }));
        assertThat(m.info().name()).isEqualTo("link.bin");
        assertThat(m.info().totalLength()).isEqualTo(1000);
    }

    @Test
    void progressReachesTheTotal() throws Exception {
        Path root = sampleFolder(tmp);
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        new TorrentBuilder(root).pieceLength(16384).threads(2).build(seen::add);
        long total = Metainfo.parse(new TorrentBuilder(root).pieceLength(16384).build(d -> { })).info().totalLength();
        assertThat(seen).isNotEmpty().allMatch(d -> d > 0 && d <= total);
        assertThat(seen.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(total);
        assertThat(seen).hasSize(Math.toIntExact(Math.ceilDiv(total, 16384))); // one report per piece
    }

    @Test
    void totalLengthIsWhatWillBeHashed() throws Exception {
        Path root = sampleFolder(tmp);
        write(root.resolve(".hidden-and-big"), 50_000, 14);
        assertThat(new TorrentBuilder(root).totalLength()).isEqualTo(PIECE + 100_000 + 5000 + 70_001 + 1 + (UTF8_NAMES ? 777 : 0));
    }

    // --- automatic piece length ---

    @Test
    void autoPieceLengthIsAPowerOfTwoBetween16KiBAnd16MiB() {
        for (long total : new long[] {1, 1000, 16L << 10, 1L << 20, 31_250_000, 1L << 30, 5_000_000_000L, 1L << 40, Long.MAX_VALUE / 2}) {
            int pl = TorrentBuilder.autoPieceLength(total);
            assertThat(Integer.bitCount(pl)).as("total %d", total).isEqualTo(1);
            assertThat(pl).as("total %d", total).isBetween(16 << 10, 16 << 20);
        }
    }

    @Test
    void autoPieceLengthAimsAt1000To2000Pieces() {
        // Between 2000 pieces of 16 KiB and 2000 pieces of 16 MiB the count lands in (1000, 2000].
        Random random = new Random(15);
        for (int k = 0; k < 1000; k++) {
            long total = 2000L * (16 << 10) + 1 + (long) (random.nextDouble() * (2000L * (16 << 20) - 2000L * (16 << 10) - 1));
            long pieces = Math.ceilDiv(total, TorrentBuilder.autoPieceLength(total));
            assertThat(pieces).as("total %d", total).isBetween(1001L, 2000L);
        }
    }

    @Test
    void autoPieceLengthEdges() {
        assertThat(TorrentBuilder.autoPieceLength(2000L * (16 << 10))).isEqualTo(16 << 10);     // 2000 pieces exactly
        assertThat(TorrentBuilder.autoPieceLength(2000L * (16 << 10) + 1)).isEqualTo(32 << 10); // 2001 would be too many
        assertThat(TorrentBuilder.autoPieceLength(1L << 30)).isEqualTo(1 << 20);                // 1 GiB -> 1024 x 1 MiB
        assertThat(TorrentBuilder.autoPieceLength(1L << 40)).isEqualTo(16 << 20);               // capped
    }

    @Test
    void autoPieceLengthIsUsedWhenNoneIsGiven() throws Exception {
        Path file = tmp.resolve("x");
        write(file, 40_000, 16);
        assertThat(Metainfo.parse(new TorrentBuilder(file).build(d -> { })).info().pieceLength()).isEqualTo(16 << 10);
    }

    // --- errors ---

    @Test
    void missingPath() {
        NoSuchFileException e = catchThrowableOfType(NoSuchFileException.class,
                () -> new TorrentBuilder(tmp.resolve("nope")).build(d -> { }));
        assertThat(e.getMessage()).endsWith("nope: no such file or folder");
    }

    @Test
    void emptyFile() throws Exception {
        Path file = Files.createFile(tmp.resolve("empty.bin"));
        IOException e = catchThrowableOfType(IOException.class, () -> new TorrentBuilder(file).build(d -> { }));
        assertThat(e.getMessage()).endsWith("empty.bin: file is empty; a torrent needs at least one byte");
    }

    @Test
    void emptyFolder() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("nothing"));
        IOException e = catchThrowableOfType(IOException.class, () -> new TorrentBuilder(dir).build(d -> { }));
        assertThat(e.getMessage()).contains("nothing: folder has no data to share");
    }

    @Test
    void folderWithOnlyEmptyAndHiddenFiles() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("nothing"));
        Files.createFile(dir.resolve("empty"));
        write(dir.resolve(".hidden"), 10, 17);
        IOException e = catchThrowableOfType(IOException.class, () -> new TorrentBuilder(dir).build(d -> { }));
        assertThat(e.getMessage()).contains("folder has no data to share (empty, or only hidden files and links)");
    }

    @Test
    void unreadableFile() throws Exception {
        Path dir = sampleFolder(tmp);
        Path secret = dir.resolve("a.txt");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(secret),
                "running as root: chmod 000 does not stop root from reading, so there is nothing to test");
        IOException e = catchThrowableOfType(IOException.class, () -> new TorrentBuilder(dir).build(d -> { }));
        assertThat(e).isInstanceOfAny(IOException.class, AccessDeniedException.class);
        assertThat(e.getMessage()).contains("a.txt");
    }

    @Test
    void fileThatShrinksWhileHashingIsAnError() throws Exception {
        Path file = tmp.resolve("shrinking.bin");
        // Larger than one read (PieceHasher.MIN_READ), so a read follows the first progress call.
        write(file, 3 * PieceHasher.MIN_READ, 18);
        IOException e = catchThrowableOfType(IOException.class, () -> new TorrentBuilder(file)
                .pieceLength(16384).threads(1)
                .build(done -> truncate(file, 16384)));
        assertThat(e.getMessage()).contains("shrinking.bin became shorter while hashing");
    }

    private static void truncate(Path file, long length) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void nonPositivePieceLengthIsRejected() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new TorrentBuilder(tmp).pieceLength(0)))
                .hasMessage("piece length must be positive");
    }
}
