package simplebt.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static simplebt.metainfo.TestTorrents.file;
import static simplebt.metainfo.TestTorrents.multiInfo;
import static simplebt.metainfo.TestTorrents.singleInfo;
import static simplebt.metainfo.TestTorrents.torrent;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeEncoder;

/** Bad torrents: one test per rule, each asserting the field the error names. */
class MetainfoValidationTest {
    private static void assertInvalid(byte[] data, String field, String problem) {
        MetainfoException e = catchThrowableOfType(MetainfoException.class, () -> Metainfo.parse(data));
        assertThat(e).as("parse should fail").isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).startsWith(field.isEmpty() ? "" : field + ": ").contains(problem);
    }

    private static void assertInvalidInfo(Map<String, BValue> info, String field, String problem) {
        assertInvalid(torrent(info), field, problem);
    }

    private static Map<String, BValue> withPath(BValue... components) {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(file(10000, "ok"), BDict.builder().put("length", 30000)
                .put("path", BList.of(components)).build()));
        return info;
    }

    private static BString s(String text) {
        return BString.of(text);
    }

    // --- the file as a whole ---

    @Test
    void notADictionary() {
        assertInvalid("l4:spame".getBytes(), "", "top level is not a dictionary");
    }

    @Test
    void notBencode() {
        assertInvalid("<html>".getBytes(), "", "not valid bencode: expected i, l, d or a digit at byte 0");
    }

    @Test
    void truncatedFile() {
        byte[] data = torrent(singleInfo());
        assertInvalid(Arrays.copyOf(data, data.length - 1), "", "not valid bencode: unexpected end of input");
    }

    @Test
    void truncatedInsideThePieces() {
        byte[] data = torrent(singleInfo());
        assertInvalid(Arrays.copyOf(data, data.length - 30), "", "not valid bencode: string length exceeds the input");
    }

    @Test
    void missingInfo() {
        assertInvalid(BencodeEncoder.encode(BDict.builder().put("announce", "x").build()), "info", "missing");
    }

    @Test
    void infoNotADictionary() {
        assertInvalid(BencodeEncoder.encode(BDict.builder().put("info", "x").build()), "info", "not a dictionary");
    }

    @Test
    void fileTooLargeToBeATorrentIsRejectedBeforeReading(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.torrent");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(MetainfoParser.MAX_TORRENT_BYTES + 1L); // sparse: costs no disk
        }
        MetainfoException e = catchThrowableOfType(MetainfoException.class, () -> Metainfo.read(big));
        assertThat(e.getMessage()).contains("a .torrent may be at most");
    }

    @Test
    void endlessDeviceIsReadOnlyUpToTheLimit() {
        Path zero = Path.of("/dev/zero"); // reports size 0 and never ends
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "no /dev/zero on this system");
        MetainfoException e = catchThrowableOfType(MetainfoException.class, () -> Metainfo.read(zero));
        assertThat(e.getMessage()).contains("not a .torrent");
    }

    @Test
    void readParsesAFile(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("x.torrent");
        Files.write(t, torrent(singleInfo()));
        assertThat(Metainfo.read(t).info().name()).isEqualTo("file.bin");
    }

    // --- name, piece length, pieces ---

    @Test
    void missingName() {
        Map<String, BValue> info = singleInfo();
        info.remove("name");
        assertInvalidInfo(info, "info.name", "missing");
    }

    @Test
    void nameIsDotDot() {
        Map<String, BValue> info = multiInfo();
        info.put("name", s(".."));
        assertInvalidInfo(info, "info.name", "'..' is not allowed");
    }

    @Test
    void nameWithSlash() {
        Map<String, BValue> info = singleInfo();
        info.put("name", s("../../etc/passwd"));
        assertInvalidInfo(info, "info.name", "separator");
    }

    @Test
    void missingPieceLength() {
        Map<String, BValue> info = singleInfo();
        info.remove("piece length");
        assertInvalidInfo(info, "info.piece length", "missing");
    }

    @Test
    void pieceLengthZero() {
        Map<String, BValue> info = singleInfo();
        info.put("piece length", new BInt(0));
        assertInvalidInfo(info, "info.piece length", "got 0");
    }

    @Test
    void pieceLengthNegative() {
        Map<String, BValue> info = singleInfo();
        info.put("piece length", new BInt(-16384));
        assertInvalidInfo(info, "info.piece length", "got -16384");
    }

    @Test
    void pieceLengthHuge() {
        Map<String, BValue> info = singleInfo();
        info.put("piece length", new BInt(1L << 40));
        assertInvalidInfo(info, "info.piece length", "got 1099511627776");
    }

    @Test
    void piecesMissing() {
        Map<String, BValue> info = singleInfo();
        info.remove("pieces");
        assertInvalidInfo(info, "info.pieces", "missing");
    }

    @Test
    void piecesNotAMultipleOf20() {
        Map<String, BValue> info = singleInfo();
        info.put("pieces", new BString(new byte[59]));
        assertInvalidInfo(info, "info.pieces", "length 59 is not a multiple of 20");
    }

    @Test
    void tooFewPieceHashes() {
        Map<String, BValue> info = singleInfo();
        info.put("pieces", new BString(new byte[40]));
        assertInvalidInfo(info, "info.pieces", "has 2 hashes but 40000 bytes at piece length 16384 need 3");
    }

    @Test
    void tooManyPieceHashes() {
        Map<String, BValue> info = singleInfo();
        info.put("pieces", new BString(new byte[80]));
        assertInvalidInfo(info, "info.pieces", "has 4 hashes");
    }

    @Test
    void pieceCountForAHugeLengthDoesNotOverflow() {
        Map<String, BValue> info = singleInfo();
        info.put("length", new BInt(Long.MAX_VALUE));
        info.put("piece length", new BInt(2));
        assertInvalidInfo(info, "info.pieces", "need 4611686018427387904");
    }

    // --- length / files ---

    @Test
    void bothLengthAndFiles() {
        Map<String, BValue> info = multiInfo();
        info.put("length", new BInt(1));
        assertInvalidInfo(info, "info", "has both 'length' and 'files'");
    }

    @Test
    void neitherLengthNorFiles() {
        Map<String, BValue> info = singleInfo();
        info.remove("length");
        assertInvalidInfo(info, "info.length", "missing");
    }

    @Test
    void negativeLength() {
        Map<String, BValue> info = singleInfo();
        info.put("length", new BInt(-1));
        assertInvalidInfo(info, "info.length", "negative: -1");
    }

    @Test
    void zeroLength() {
        Map<String, BValue> info = singleInfo();
        info.put("length", new BInt(0));
        info.put("pieces", new BString(new byte[0]));
        assertInvalidInfo(info, "info.length", "holds no data");
    }

    @Test
    void filesNotAList() {
        Map<String, BValue> info = multiInfo();
        info.put("files", s("x"));
        assertInvalidInfo(info, "info.files", "not a list");
    }

    @Test
    void filesEmpty() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of());
        assertInvalidInfo(info, "info.files", "empty list");
    }

    @Test
    void fileEntryNotADictionary() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(file(40000, "a"), new BInt(1)));
        assertInvalidInfo(info, "info.files[1]", "not a dictionary");
    }

    @Test
    void fileNegativeLength() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(file(40001, "a"), file(-1, "b")));
        assertInvalidInfo(info, "info.files[1].length", "negative: -1");
    }

    @Test
    void fileMissingLength() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(BDict.builder().put("path", BList.of(s("a"))).build()));
        assertInvalidInfo(info, "info.files[0].length", "missing");
    }

    @Test
    void fileLengthsOverflowWhenSummed() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(file(Long.MAX_VALUE, "a"), file(1, "b")));
        assertInvalidInfo(info, "info.files[1].length", "total length overflows");
    }

    @Test
    void fileMissingPath() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(BDict.builder().put("length", 40000).build()));
        assertInvalidInfo(info, "info.files[0].path", "missing");
    }

    @Test
    void pathEmptyList() {
        assertInvalidInfo(withPath(), "info.files[1].path", "must have 1 to 64 components");
    }

    @Test
    void pathTooDeep() {
        BValue[] deep = new BValue[65];
        Arrays.fill(deep, s("d"));
        assertInvalidInfo(withPath(deep), "info.files[1].path", "must have 1 to 64 components");
    }

    @Test
    void pathComponentNotAString() {
        assertInvalidInfo(withPath(new BInt(1)), "info.files[1].path", "not a byte string");
    }

    @Test
    void pathComponentEmpty() {
        assertInvalidInfo(withPath(s("a"), s(""), s("b")), "info.files[1].path", "empty path component");
    }

    @Test
    void absolutePathAsLeadingEmptyComponent() {
        // "/etc/passwd" split on '/' gives "", "etc", "passwd"
        assertInvalidInfo(withPath(s(""), s("etc"), s("passwd")), "info.files[1].path", "empty path component");
    }

    @Test
    void absolutePathInOneComponent() {
        assertInvalidInfo(withPath(s("/etc/passwd")), "info.files[1].path", "separator");
    }

    @Test
    void pathComponentDot() {
        assertInvalidInfo(withPath(s(".")), "info.files[1].path", "'.' is not allowed");
    }

    @Test
    void pathComponentDotDot() {
        assertInvalidInfo(withPath(s(".."), s(".."), s(".bashrc")), "info.files[1].path", "'..' is not allowed");
    }

    @Test
    void pathComponentWithSlash() {
        assertInvalidInfo(withPath(s("a/b")), "info.files[1].path", "separator");
    }

    @Test
    void pathComponentWithBackslash() {
        assertInvalidInfo(withPath(s("..\\..\\x")), "info.files[1].path", "separator");
    }

    @Test
    void pathComponentWithNul() {
        assertInvalidInfo(withPath(s("a\0.txt")), "info.files[1].path", "NUL");
    }

    @Test
    void pathComponentDriveLetter() {
        assertInvalidInfo(withPath(s("C:"), s("Windows")), "info.files[1].path", "drive letter");
    }

    @Test
    void pathComponentDriveRelative() {
        assertInvalidInfo(withPath(s("c:evil")), "info.files[1].path", "drive letter");
    }

    @Test
    void pathComponentTooLong() {
        assertInvalidInfo(withPath(s("x".repeat(256))), "info.files[1].path", "longer than 255 bytes");
    }

    @Test
    void duplicatePath() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(file(20000, "d", "a"), file(20000, "d", "a")));
        assertInvalidInfo(info, "info.files[1].path", "'d/a' is listed twice or is also a directory");
    }

    @Test
    void fileThenDirectoryOfTheSameName() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(file(20000, "d"), file(20000, "d", "a")));
        assertInvalidInfo(info, "info.files[1].path", "'d' is both a file and a directory");
    }

    /** BEP 47: libtorrent pads files to piece boundaries with ".pad/N" entries, often several of one size. */
    @Test
    void paddingFilesMayRepeatAndAreMarked() throws Exception {
        Map<String, BValue> info = multiInfo();
        BDict pad = BDict.builder().put("attr", "p").put("length", 3000L).put("path", BList.of(s(".pad"), s("3000"))).build();
        info.put("files", BList.of(file(13384, "a"), pad, file(13384, "b"), pad, file(8232, "c")));
        Info parsed = Metainfo.parse(torrent(info)).info();
        assertThat(parsed.files()).extracting(FileEntry::padding).containsExactly(false, true, false, true, false);
        assertThat(parsed.files().get(3).offset()).isEqualTo(13384 + 3000 + 13384);
    }

    @Test
    void onlyPaddingMayRepeat() {
        Map<String, BValue> info = multiInfo();
        BDict notPad = BDict.builder().put("attr", "x").put("length", 3000L).put("path", BList.of(s(".pad"), s("3000"))).build();
        info.put("files", BList.of(file(13384, "a"), notPad, file(13384, "b"), notPad, file(8232, "c")));
        assertInvalidInfo(info, "info.files[3].path", "'.pad/3000' is listed twice");
    }

    @Test
    void directoryThenFileOfTheSameName() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(file(20000, "d", "a"), file(20000, "d")));
        assertInvalidInfo(info, "info.files[1].path", "'d' is listed twice or is also a directory");
    }

    @Test
    void nestedDirectoryClash() {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(file(20000, "a", "b", "c"), file(20000, "a", "b")));
        assertInvalidInfo(info, "info.files[1].path", "'a/b' is listed twice or is also a directory");
    }

    @Test
    void similarNamesAreNotAClash() throws Exception {
        Map<String, BValue> info = multiInfo();
        info.put("files", BList.of(file(20000, "a", "b"), file(20000, "a-b"), file(0, "ab")));
        info.put("pieces", new BString(new byte[60]));
        assertThat(Metainfo.parse(torrent(info)).info().files()).hasSize(3);
    }

    // --- PathRules on its own: what storage relies on too ---

    @Test
    void pathRulesAcceptOrdinaryNames() {
        for (String ok : new String[] {"a", "file.txt", "..hidden", "...", "a..b", "名前.txt", "C", "1:2", "x".repeat(255)}) {
            assertThat(PathRules.problem(ok)).as(ok).isNull();
        }
    }
}
