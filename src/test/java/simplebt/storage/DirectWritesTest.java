package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Info;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;

class DirectWritesTest {
    @TempDir
    Path tmp;

    private static ByteBuffer aligned(byte[] bytes) {
        ByteBuffer b = DirectWrites.allocate(bytes.length);
        b.put(0, bytes);
        return b.slice(0, bytes.length);
    }

    @Test
    void writesOnlyWhatIsAligned() throws Exception {
        Path file = tmp.resolve("f.bin");
        byte[] page = new byte[DirectWrites.ALIGN * 2];
        new Random(3).nextBytes(page);
        try (DirectWrites direct = new DirectWrites(4, i -> file)) {
            assertThat(direct.write(0, 100, aligned(page))).as("unaligned offset").isFalse();
            assertThat(direct.write(0, 0, aligned(Arrays.copyOf(page, 1000)))).as("partial page").isFalse();
            assertThat(direct.write(0, 0, ByteBuffer.wrap(page))).as("heap buffer").isFalse();
            assertThat(file).doesNotExist();
            assertThat(direct.write(0, DirectWrites.ALIGN, aligned(page))).as("aligned").isTrue();
        }
        byte[] expected = new byte[DirectWrites.ALIGN * 3];
        System.arraycopy(page, 0, expected, DirectWrites.ALIGN, page.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    /** Whole pieces go around the page cache, the short last one the ordinary way; reads see both. */
    @Test
    void storageWritesEveryPieceOnceWhicheverWay() throws Exception {
        Path src = tmp.resolve("src.bin");
        byte[] data = new byte[3 * 16384 + 5000];
        new Random(4).nextBytes(data);
        Files.write(src, data);
        Info info = Metainfo.parse(new TorrentBuilder(src).pieceLength(16384).build(n -> { })).info();
        Path out = tmp.resolve("out");
        try (Storage storage = new Storage(out, info)) {
            for (int piece = info.pieceCount() - 1; piece >= 0; piece--) { // last first: writes past the end too
                int from = piece * 16384;
                int n = info.pieceSize(piece);
                ByteBuffer buffer = Storage.pieceBuffer(16384);
                buffer.put(0, data, from, n);
                storage.writePiece(piece, buffer.slice(0, n));
                byte[] back = new byte[n];
                storage.read(piece, 0, back, 0, n);
                assertThat(back).isEqualTo(Arrays.copyOfRange(data, from, from + n));
            }
            storage.sync();
            assertThat(PieceChecker.check(storage, x -> { }).cardinality()).isEqualTo(info.pieceCount());
        }
        assertThat(Files.readAllBytes(out.resolve("src.bin"))).isEqualTo(data);
    }

    /** The direct path opens files with the same checks: a link planted where the file goes is refused, not followed. */
    @Test
    void aPieceIsNotWrittenThroughALinkEitherWay() throws Exception {
        Path src = tmp.resolve("src.bin");
        byte[] data = new byte[2 * 16384];
        new Random(5).nextBytes(data);
        Files.write(src, data);
        Info info = Metainfo.parse(new TorrentBuilder(src).pieceLength(16384).build(n -> { })).info();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path victim = Files.write(tmp.resolve("victim"), new byte[] {1, 2, 3});
        Files.createSymbolicLink(out.resolve("src.bin"), victim);
        try (Storage storage = new Storage(out, info)) {
            ByteBuffer buffer = Storage.pieceBuffer(16384);
            buffer.put(0, data, 0, 16384);
            assertThatThrownBy(() -> storage.writePiece(0, buffer.slice(0, 16384)))
                    .isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
        }
        assertThat(Files.readAllBytes(victim)).containsExactly(1, 2, 3);
    }
}
