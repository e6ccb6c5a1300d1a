package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.storage.PieceChecker;
import simplebt.storage.Storage;
import simplebt.wire.TorrentShape;

/**
 * Pieces of three 16 KiB blocks plus a short last piece, assembled in memory or (with a small
 * {@code maxBuffered}) streamed to disk. Blocks are fed in the order given; the hash must
 * match whatever the order, and the bytes on disk must be the torrent's.
 */
class PieceBuffersTest {
    private static final HashFailures.Sender SENDER =
            new HashFailures.Sender("peer-7", java.net.InetAddress.getLoopbackAddress());

    private static final int BLOCK = 16384;
    private static final int PIECE = 3 * BLOCK;

    @TempDir
    Path tmp;

    private byte[] data;
    private Metainfo meta;

    private PieceBuffers buffers(Storage storage, boolean streamed) throws Exception {
        return new PieceBuffers(TorrentShape.of(meta.info()), storage, 4, streamed ? BLOCK : PIECE);
    }

    private Storage setUp() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        data = SwarmIT.bytes(new Random(2), 2 * PIECE + 1000);
        Files.write(seed.resolve("f.bin"), data);
        meta = Metainfo.parse(new TorrentBuilder(seed.resolve("f.bin")).pieceLength(PIECE).build(n -> { }));
        return new Storage(tmp.resolve("out"), meta.info());
    }

    private void put(PieceBuffers b, int piece, int block, byte[] source) throws Exception {
        int at = piece * PIECE + block * BLOCK;
        int n = Math.min(BLOCK, source.length - at);
        b.put(piece, block * BLOCK, Arrays.copyOfRange(source, at, at + n), n, SENDER);
    }

    @Test
    void blocksInOrderOrNotGiveThePiecesHash() throws Exception {
        for (boolean streamed : new boolean[] {false, true}) {
            try (Storage storage = setUp()) {
                PieceBuffers b = buffers(storage, streamed);
                put(b, 0, 2, data); // early: waits for blocks 0 and 1
                put(b, 0, 0, data);
                put(b, 0, 1, data);
                assertThat(b.matches(0, meta.info().pieceHash(0))).as("streamed %s", streamed).isTrue();
                b.write(0);
                byte[] onDisk = new byte[PIECE];
                storage.read(0, 0, onDisk, 0, PIECE);
                assertThat(onDisk).isEqualTo(Arrays.copyOf(data, PIECE));
                assertThat(b.blockSenders(0)).containsExactly(SENDER, SENDER, SENDER);
            }
        }
    }

    @Test
    void aWrongBlockFailsTheHashAndItsDigestDiffers() throws Exception {
        for (boolean streamed : new boolean[] {false, true}) {
            try (Storage storage = setUp()) {
                PieceBuffers b = buffers(storage, streamed);
                byte[] bad = data.clone();
                bad[PIECE + BLOCK + 3] ^= 1;
                put(b, 1, 0, bad);
                put(b, 1, 1, bad);
                put(b, 1, 2, bad);
                assertThat(b.matches(1, meta.info().pieceHash(1))).as("streamed %s", streamed).isFalse();
                byte[][] digests = b.blockDigests(1);
                assertThat(digests[0]).isEqualTo(sha1(data, PIECE, BLOCK));
                assertThat(digests[1]).isNotEqualTo(sha1(data, PIECE + BLOCK, BLOCK));
            }
        }
    }

    @Test
    void theShortLastPieceHasItsOwnBlockCount() throws Exception {
        try (Storage storage = setUp()) {
            PieceBuffers b = buffers(storage, false);
            put(b, 2, 0, data);
            assertThat(b.matches(2, meta.info().pieceHash(2))).isTrue();
            assertThat(b.blockSenders(2)).containsExactly(SENDER);
        }
    }

    @Test
    void aReleasedBufferIsReusedForTheNextPiece() throws Exception {
        try (Storage storage = setUp()) {
            PieceBuffers b = buffers(storage, false);
            put(b, 0, 0, data);
            b.release(0);
            put(b, 1, 0, data);
            put(b, 1, 1, data);
            put(b, 1, 2, data);
            assertThat(b.matches(1, meta.info().pieceHash(1))).isTrue();
            assertThat(b.allocatedBytes()).isEqualTo(PIECE);
        }
    }

    @Test
    void streamedPiecesHoldNoBuffer() throws Exception {
        try (Storage storage = setUp()) {
            PieceBuffers b = buffers(storage, true);
            put(b, 0, 0, data);
            assertThat(b.allocatedBytes()).isZero();
        }
    }

    @Test
    void hugePiecesAreStreamedAndStartFewAtOnce() {
        assertThat(PieceBuffers.maxStarted(256 << 10, 32 << 20)).isEqualTo(128);
        assertThat(PieceBuffers.maxStarted(4 << 20, 32 << 20)).isEqualTo(8);
        assertThat(PieceBuffers.maxStarted(64 << 20, 32 << 20)).isEqualTo(PieceBuffers.STREAMED_STARTED);
    }

    private static byte[] sha1(byte[] source, int from, int n) {
        MessageDigest d = PieceChecker.sha1();
        d.update(source, from, n);
        return d.digest();
    }
}
