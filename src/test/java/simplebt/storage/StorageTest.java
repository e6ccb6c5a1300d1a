package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;

class StorageTest {
    @TempDir
    Path tmp;

    /** Files a (5000 bytes), empty (0), b (3000) in folder "set", 4096-byte pieces: pieces span files. */
    private Metainfo multiFile() throws Exception {
        Path src = tmp.resolve("src/set");
        Files.createDirectories(src.resolve("sub"));
        Random r = new Random(1);
        Files.write(src.resolve("a.bin"), random(r, 5000));
        Files.write(src.resolve("empty.txt"), new byte[0]);
        Files.write(src.resolve("sub/b.bin"), random(r, 3000));
        return Metainfo.parse(new TorrentBuilder(src).pieceLength(16384).build(n -> { }));
    }

    @Test
    void writesPiecesAcrossFilesAndReadsThemBack() throws Exception {
        Metainfo meta = multiFile();
        Info info = meta.info();
        byte[] all = concat(tmp.resolve("src"), info);
        Path out = tmp.resolve("out");
        try (Storage storage = new Storage(out, info)) {
            storage.writePiece(0, all, all.length);
            storage.finish();
            byte[] back = new byte[100];
            storage.read(0, 4950, back, 0, 100); // 50 bytes of a.bin, then 50 of sub/b.bin
            assertThat(back).isEqualTo(java.util.Arrays.copyOfRange(all, 4950, 5050));
        }
        assertThat(Files.readAllBytes(out.resolve("set/a.bin"))).isEqualTo(Files.readAllBytes(tmp.resolve("src/set/a.bin")));
        assertThat(Files.readAllBytes(out.resolve("set/sub/b.bin"))).isEqualTo(Files.readAllBytes(tmp.resolve("src/set/sub/b.bin")));
        assertThat(out.resolve("set/empty.txt")).exists().isEmptyFile();
    }

    @Test
    void createsNothingUntilWritten() throws Exception {
        Path out = tmp.resolve("out");
        try (Storage storage = new Storage(out, multiFile().info())) {
            assertThat(storage.present(0)).isFalse();
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void checkerFindsGoodPiecesOnly() throws Exception {
        Path src = tmp.resolve("one.bin");
        Files.write(src, random(new Random(2), 40_000));
        Metainfo meta = Metainfo.parse(new TorrentBuilder(src).pieceLength(16384).build(n -> { }));
        try (Storage storage = new Storage(tmp, meta.info())) {
            assertThat(PieceChecker.check(storage, n -> { }).cardinality()).isEqualTo(3);
        }
        byte[] damaged = Files.readAllBytes(src);
        damaged[20_000] ^= 1;
        Files.write(src, java.util.Arrays.copyOf(damaged, 35_000)); // piece 1 damaged, piece 2 short
        try (Storage storage = new Storage(tmp, meta.info())) {
            BitSet good = PieceChecker.check(storage, n -> { });
            assertThat(good.stream().boxed().toList()).containsExactly(0);
        }
    }

    @Test
    void refusesPathsThatLeaveTheRoot() {
        Path root = tmp.resolve("root");
        assertThatThrownBy(() -> SafePaths.resolve(root, List.of("..", "evil"))).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> SafePaths.resolve(root, List.of("a/../../b"))).hasMessageContaining("separator");
        assertThatThrownBy(() -> SafePaths.resolve(root, List.of("/etc/passwd"))).hasMessageContaining("separator");
        assertThatThrownBy(() -> SafePaths.resolve(root, List.of())).hasMessageContaining("empty");
    }

    @Test
    void refusesToWriteThroughASymbolicLink() throws Exception {
        Metainfo meta = multiFile();
        Path out = tmp.resolve("out");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createDirectories(out);
        Files.createSymbolicLink(out.resolve("set"), elsewhere);
        try (Storage storage = new Storage(out, meta.info())) {
            byte[] data = new byte[meta.info().pieceSize(0)];
            assertThatThrownBy(() -> storage.writePiece(0, data, data.length))
                    .isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
        }
        try (var listing = Files.list(elsewhere)) {
            assertThat(listing).isEmpty();
        }
    }

    /** BEP 47: 100 + pad 50 + 100 + pad 50 + 40 bytes in 50-byte pieces; the pads are never on disk. */
    @Test
    void paddingIsNeverWrittenAndReadsAsZeros() throws Exception {
        List<FileEntry> files = List.of(new FileEntry(List.of("a"), 100, 0), new FileEntry(List.of(".pad", "50"), 50, 100, true),
                new FileEntry(List.of("b"), 100, 150), new FileEntry(List.of(".pad", "50"), 50, 250, true),
                new FileEntry(List.of("c"), 40, 300));
        Info info = new Info("set", 50, new byte[7 * 20], files, true, false);
        byte[] all = random(new Random(4), 340);
        java.util.Arrays.fill(all, 100, 150, (byte) 0);
        java.util.Arrays.fill(all, 250, 300, (byte) 0);
        Path out = tmp.resolve("out");
        try (Storage storage = new Storage(out, info)) {
            for (int p = 0; p < info.pieceCount(); p++) {
                storage.writePiece(p, java.util.Arrays.copyOfRange(all, p * 50, p * 50 + info.pieceSize(p)), info.pieceSize(p));
            }
            storage.finish();
            assertThat(storage.present(2)).isTrue();
            byte[] back = new byte[60];
            storage.read(2, 0, back, 0, 50); // all padding
            storage.read(5, 0, back, 50, 10); // padding, zeros although the buffer held other bytes
            assertThat(back).containsOnly(0);
            byte[] bad = new byte[50];
            bad[7] = 1;
            assertThatThrownBy(() -> storage.writePiece(2, bad, 50)).hasMessageContaining("padding");
        }
        assertThat(out.resolve("set/.pad")).doesNotExist();
        assertThat(Files.readAllBytes(out.resolve("set/b"))).isEqualTo(java.util.Arrays.copyOfRange(all, 150, 250));
        assertThat(Files.readAllBytes(out.resolve("set/c"))).isEqualTo(java.util.Arrays.copyOfRange(all, 300, 340));
    }

    @Test
    void aFailingDiskIsAClearError() throws Exception {
        Path out = tmp.resolve("readonly");
        Files.createDirectories(out);
        out.toFile().setWritable(false);
        try (Storage storage = new Storage(out, multiFile().info())) {
            byte[] data = new byte[16384];
            if (Files.isWritable(out)) {
                return; // running as root: permissions do not bind
            }
            assertThatThrownBy(() -> storage.writePiece(0, data, data.length)).isInstanceOf(IOException.class);
        } finally {
            out.toFile().setWritable(true);
        }
    }

    private static byte[] concat(Path root, Info info) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        for (FileEntry f : info.files()) {
            byte[] b = Files.readAllBytes(root.resolve(String.join("/", info.relativePath(f))));
            parts.add(b);
            total += b.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        return all;
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
