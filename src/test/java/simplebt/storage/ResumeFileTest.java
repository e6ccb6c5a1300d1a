package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BencodeEncoder;
import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.metainfo.InfoHash;

/** What a resume file may vouch for, and that writing it never follows a planted link. */
class ResumeFileTest {
    private static final InfoHash HASH = InfoHash.fromHex("00112233445566778899aabbccddeeff00112233");

    @TempDir
    Path tmp;

    /** One file "one.bin" of 1000 bytes, one piece. */
    private static Info oneFile() {
        return new Info("one.bin", 16384, new byte[20], List.of(new FileEntry(List.of("one.bin"), 1000, 0)), false, false);
    }

    @Test
    void isTrustedOnlyWhileFilesAreUnchanged() throws Exception {
        Path data = tmp.resolve("one.bin");
        Files.write(data, StorageTest.random(new Random(3), 1000));
        ResumeFile resume = new ResumeFile(tmp, HASH);
        try (Storage storage = new Storage(tmp, oneFile())) {
            resume.save(new byte[] {(byte) 0x80}, storage.fileStamps());
            assertThat(resume.path()).isEqualTo(tmp.resolve(".simplebt-resume/" + HASH.hex() + ".resume"));
            assertThat(resume.load(storage)).hasValueSatisfying(b -> assertThat(b.get(0)).isTrue());
            Files.setLastModifiedTime(data, FileTime.fromMillis(12345));
            assertThat(resume.load(storage)).isEmpty();
        }
    }

    @Test
    void aFileForAnotherTorrentIsIgnored() throws Exception {
        Files.write(tmp.resolve("one.bin"), StorageTest.random(new Random(3), 1000));
        try (Storage storage = new Storage(tmp, oneFile())) {
            InfoHash other = InfoHash.fromHex("ffffffffffffffffffffffffffffffffffffffff");
            new ResumeFile(tmp, other).save(new byte[] {(byte) 0x80}, storage.fileStamps());
            Files.move(new ResumeFile(tmp, other).path(), new ResumeFile(tmp, HASH).path());
            assertThat(new ResumeFile(tmp, HASH).load(storage)).isEmpty();
        }
    }

    /** The old attack in today's format: every piece claimed, the files' stamps say "missing". */
    @Test
    void vouchesForNoPieceWhoseBytesAreNotOnDisk() throws Exception {
        ResumeFile resume = new ResumeFile(tmp, HASH);
        Files.createDirectories(resume.path().getParent());
        Files.write(resume.path(), BencodeEncoder.encode(BDict.builder().put("info hash", HASH.bytes())
                .put("pieces", new byte[] {(byte) 0xff}).put("files", BList.of(BList.of(BInt.of(-1), BInt.of(-1))))
                .build()));
        try (Storage storage = new Storage(tmp, oneFile())) {
            assertThat(storage.fileStamps().get(0)).containsExactly(-1, -1);
            assertThat(resume.load(storage)).hasValueSatisfying(b -> assertThat(b.isEmpty()).isTrue());
        }
    }

    @Test
    void aTorrentMayNotTakeTheResumeFolderName() {
        for (String name : List.of(".simplebt-resume", ".SimpleBT-Resume")) {
            Info info = new Info(name, 16384, new byte[20], List.of(new FileEntry(List.of(HASH.hex() + ".resume"), 1000, 0)),
                    true, false);
            assertThatThrownBy(() -> new Storage(tmp, info)).hasMessageContaining("reserved");
        }
    }

    @Test
    void neverWritesThroughALinkAtTheOldTempPath() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "keep me");
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("." + HASH.hex() + ".resume.tmp"), victim);
        new ResumeFile(root, HASH).save(new byte[] {0}, List.of(new long[] {1, 2}));
        assertThat(victim).hasContent("keep me");
    }

    @Test
    void aLinkAtTheFinalPathIsReplacedNotFollowed() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "keep me");
        ResumeFile resume = new ResumeFile(tmp.resolve("root"), HASH);
        Files.createDirectories(resume.path().getParent());
        Files.createSymbolicLink(resume.path(), victim);
        resume.save(new byte[] {0}, List.of(new long[] {1, 2}));
        assertThat(victim).hasContent("keep me");
        assertThat(Files.isSymbolicLink(resume.path())).isFalse();
    }

    @Test
    void refusesAResumeFolderThatIsALink() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve(ResumeFile.DIR), elsewhere);
        ResumeFile resume = new ResumeFile(root, HASH);
        assertThatThrownBy(() -> resume.save(new byte[] {0}, List.of(new long[] {1, 2}))).hasMessageContaining("symbolic link");
        try (var listing = Files.list(elsewhere)) {
            assertThat(listing).isEmpty();
        }
    }
}
