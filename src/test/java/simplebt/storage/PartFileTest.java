package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Info;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;

/**
 * The part file through {@link Storage}: files x (3,000 bytes), y (5,000), z (2,500) in 4 KiB
 * pieces: piece 0 is x and the start of y, piece 1 the rest of y and the start of z, piece 2 the
 * rest of z. With only y chosen, x's 3,000 bytes of piece 0 and z's 192 bytes of piece 1 are
 * the boundary slices.
 */
class PartFileTest {
    private static final int X = 0;
    private static final int Y = 1;
    private static final int Z = 2;

    @TempDir
    Path tmp;

    private Metainfo meta;
    private byte[] all;
    private Path out;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void torrent() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/set"));
        Random r = new Random(9);
        Files.write(src.resolve("x"), StorageTest.random(r, 3000));
        Files.write(src.resolve("y"), StorageTest.random(r, 5000));
        Files.write(src.resolve("z"), StorageTest.random(r, 2500));
        meta = Metainfo.parse(new TorrentBuilder(src).pieceLength(4096).build(n -> { }));
        all = new byte[10_500];
        int at = 0;
        for (String f : List.of("x", "y", "z")) {
            byte[] b = Files.readAllBytes(src.resolve(f));
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        out = tmp.resolve("out");
        savedErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
    }

    private Info info() {
        return meta.info();
    }

    private Path partPath() {
        return new ResumeFile(out, meta.infoHash()).partPath();
    }

    private Storage open(int... chosenFiles) throws Exception {
        BitSet chosen = new BitSet();
        Arrays.stream(chosenFiles).forEach(chosen::set);
        return new Storage(out, info(), chosen, PartFileReader.open(partPath(), meta.infoHash(), info()));
    }

    private byte[] piece(int p) {
        return Arrays.copyOfRange(all, p * 4096, p * 4096 + info().pieceSize(p));
    }

    private static final PartFile.Slice X_IN_0 = new PartFile.Slice(0, 0, 3000);
    private static final PartFile.Slice Z_IN_1 = new PartFile.Slice(1, 3904, 192);

    /** Only y chosen: pieces 0 and 1 are fetched; returns them as the resume data would claim them. */
    private BitSet downloadY() throws Exception {
        BitSet claimed = new BitSet();
        try (Storage s = open(Y)) {
            assertThat(s.wantedPieces().stream().boxed().toList()).containsExactly(0, 1);
            assertThat(s.settleParts(claimed)).isTrue(); // lays out the new part file
            for (int p = 0; p < 2; p++) {
                s.writePiece(p, piece(p), info().pieceSize(p));
                claimed.set(p);
                assertThat(s.present(p)).isTrue();
            }
            s.finish();
            s.sync();
            byte[] back = new byte[4096];
            s.read(0, 0, back, 0, 4096); // x's share from the part file, y's from y
            assertThat(back).isEqualTo(piece(0));
        }
        return claimed;
    }

    private byte[] slice(PartFile.Slice s) {
        int at = s.piece() * 4096 + s.begin();
        return Arrays.copyOfRange(all, at, at + s.length());
    }

    private byte[] partData() throws Exception {
        byte[] file = Files.readAllBytes(partPath());
        int n = PartFileReader.index(partPath(), meta.infoHash(), info()).size();
        return Arrays.copyOfRange(file, (int) PartFile.headerSize(n), file.length);
    }

    @Test
    void bytesOfFilesNotChosenGoToThePartFileAndNowhereElse() throws Exception {
        downloadY();
        assertThat(out.resolve("set/x")).doesNotExist();
        assertThat(out.resolve("set/z")).doesNotExist();
        assertThat(Files.readAllBytes(out.resolve("set/y"))).isEqualTo(Arrays.copyOfRange(all, 3000, 8000));
        assertThat(PartFileReader.index(partPath(), meta.infoHash(), info())).containsExactly(X_IN_0, Z_IN_1);
        ByteBuffer expected = ByteBuffer.allocate(3192).put(slice(X_IN_0)).put(slice(Z_IN_1));
        assertThat(partData()).isEqualTo(expected.array());
    }

    @Test
    void aPieceOfNoChosenFileHasNoPlaceAndIsNotPresent() throws Exception {
        downloadY();
        try (Storage s = open(Y)) {
            assertThat(s.present(2)).isFalse();
            assertThatThrownBy(() -> s.writePiece(2, piece(2), info().pieceSize(2)))
                    .hasMessageContaining("belong to a file not chosen");
        }
        assertThat(out.resolve("set/z")).doesNotExist();
    }

    @Test
    void theSameSelectionAgainLeavesThePartFileAlone() throws Exception {
        BitSet claimed = downloadY();
        long modified = Files.getLastModifiedTime(partPath()).toMillis();
        try (Storage s = open(Y)) {
            assertThat(s.settleParts(claimed)).isFalse();
            assertThat(claimed.stream().boxed().toList()).containsExactly(0, 1);
        }
        assertThat(Files.getLastModifiedTime(partPath()).toMillis()).isEqualTo(modified);
    }

    @Test
    void choosingXTooMovesItsSliceIntoXAndKeepsZsParked() throws Exception {
        BitSet claimed = downloadY();
        try (Storage s = open(X, Y)) {
            assertThat(s.settleParts(claimed)).isTrue();
            assertThat(claimed.stream().boxed().toList()).containsExactly(0, 1);
            byte[] back = new byte[4096];
            s.read(0, 0, back, 0, 4096);
            assertThat(back).isEqualTo(piece(0));
        }
        assertThat(Files.readAllBytes(out.resolve("set/x"))).isEqualTo(slice(X_IN_0));
        assertThat(PartFileReader.index(partPath(), meta.infoHash(), info())).containsExactly(Z_IN_1);
        assertThat(partData()).isEqualTo(slice(Z_IN_1));
    }

    @Test
    void choosingEverythingEmptiesThePartFileIntoTheFilesAndDeletesIt() throws Exception {
        BitSet claimed = downloadY();
        try (Storage s = open(X, Y, Z)) {
            assertThat(s.settleParts(claimed)).isTrue();
        }
        assertThat(partPath()).doesNotExist();
        assertThat(Files.readAllBytes(out.resolve("set/x"))).isEqualTo(slice(X_IN_0));
        assertThat(Files.readAllBytes(out.resolve("set/z"))).isEqualTo(slice(Z_IN_1)); // the rest comes from peers
    }

    @Test
    void aNarrowerSelectionDropsParkedBytesItNoLongerNeedsAndThePieceWithThem() throws Exception {
        BitSet claimed = downloadY();
        // Now only z: y stays on disk (not parked), x's share of piece 0 is no longer needed.
        try (Storage s = open(Z)) {
            assertThat(s.wantedPieces().stream().boxed().toList()).containsExactly(1, 2);
            assertThat(s.settleParts(claimed)).isTrue();
            assertThat(claimed.stream().boxed().toList()).as("piece 0 lost x's bytes").containsExactly(1);
            assertThat(s.present(1)).isTrue();
        }
        assertThat(partPath()).doesNotExist();
        assertThat(out.resolve("set/x")).doesNotExist();
        assertThat(Files.readAllBytes(out.resolve("set/z"))).isEqualTo(slice(Z_IN_1));
    }

    @Test
    void aDamagedSliceCostsItsPieceNotWrongData() throws Exception {
        BitSet claimed = downloadY();
        byte[] file = Files.readAllBytes(partPath());
        file[(int) PartFile.headerSize(2) + 10] ^= 1; // inside x's slice
        Files.write(partPath(), file);
        try (Storage s = open(Y)) {
            s.settleParts(claimed);
        }
        assertThat(claimed.stream().boxed().toList()).containsExactly(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("1 piece(s) with bytes in").contains("fetching them again");
    }

    private void assertDamaged(byte[] content, String reason) throws Exception {
        Files.createDirectories(partPath().getParent());
        Files.write(partPath(), content);
        assertThatThrownBy(() -> PartFileReader.index(partPath(), meta.infoHash(), info()))
                .isInstanceOf(PartFileReader.Damaged.class).hasMessageContaining(reason);
        try (PartFile opened = PartFileReader.open(partPath(), meta.infoHash(), info())) {
            assertThat(opened.isEmpty()).as("a damaged part file vouches for nothing").isTrue();
        }
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("is damaged (" + reason);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void aTruncatedFileIsDamaged() throws Exception {
        assertDamaged(new byte[20], "only 20 bytes");
    }

    @Test
    void anotherFormatIsDamaged() throws Exception {
        byte[] h = bytes(PartFile.header(meta.infoHash(), 4096, List.of(X_IN_0)));
        h[0] = 'X';
        assertDamaged(h, "not a part file of this version");
    }

    @Test
    void anotherTorrentsPartFileIsRefused() throws Exception {
        byte[] otherHash = new byte[20];
        assertDamaged(bytes(PartFile.header(new simplebt.metainfo.InfoHash(otherHash), 4096, List.of(X_IN_0))),
                "it belongs to another torrent");
        assertDamaged(bytes(PartFile.header(meta.infoHash(), 8192, List.of(X_IN_0))), "it belongs to another torrent");
    }

    @Test
    void aChangedIndexFailsItsChecksum() throws Exception {
        byte[] h = bytes(PartFile.header(meta.infoHash(), 4096, List.of(X_IN_0)));
        h[h.length - 5] ^= 1; // the slice length
        assertDamaged(h, "index checksum mismatch");
    }

    @Test
    void anIndexWithAValidChecksumStillNeedsRealFileShares() throws Exception {
        assertDamaged(bytes(PartFile.header(meta.infoHash(), 4096, List.of(new PartFile.Slice(0, 0, 2999)))),
                "slice 0 is not one file's share of piece 0");
        assertDamaged(bytes(PartFile.header(meta.infoHash(), 4096, List.of(new PartFile.Slice(0, 0, 4096)))),
                "slice 0 is not one file's share");
        assertDamaged(bytes(PartFile.header(meta.infoHash(), 4096, List.of(new PartFile.Slice(7, 0, 10)))),
                "slice 0 is not one file's share of piece 7");
        assertDamaged(bytes(PartFile.header(meta.infoHash(), 4096, List.of(Z_IN_1, X_IN_0))), "slice 1 is out of order");
    }

    @Test
    void anAbsurdSliceCountIsRefusedBeforeAnythingIsAllocated() throws Exception {
        ByteBuffer h = PartFile.header(meta.infoHash(), 4096, List.of());
        h.putInt(36, Integer.MAX_VALUE);
        assertDamaged(bytes(h), "its index claims 2147483647 slices");
    }

    @Test
    void aLinkInPlaceOfTheStateFolderOrThePartFileIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createDirectories(out);
        Files.createSymbolicLink(partPath().getParent(), elsewhere);
        assertThatThrownBy(() -> PartFileReader.open(partPath(), meta.infoHash(), info())).hasMessageContaining("symbolic link");
        Files.delete(partPath().getParent());
        Files.createDirectories(partPath().getParent());
        Files.createSymbolicLink(partPath(), elsewhere.resolve("victim"));
        assertThatThrownBy(() -> PartFileReader.open(partPath(), meta.infoHash(), info())).hasMessageContaining("not a regular file");
        try (var listing = Files.list(elsewhere)) {
            assertThat(listing).isEmpty();
        }
    }
}
