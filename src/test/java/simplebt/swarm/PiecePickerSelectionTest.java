package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import simplebt.wire.TorrentShape;

/**
 * The picker with a file selection ({@code --only}): pictures as in {@link PiecePickerTest};
 * "wanted" marks with '*' the pieces that overlap a chosen file. Pieces are two 16 KiB blocks,
 * the last one 10,000 bytes.
 */
class PiecePickerSelectionTest {
    private static final int PIECE = 32 * 1024;
    private PiecePicker picker;

    @AfterEach
    void invariantsHold() {
        picker.checkInvariants();
    }

    @Test
    void picksOnlyWantedPiecesWhateverTheirRarity() {
        picker = setup("11113111", "     *  ");
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            picker.pick(1, Bitfield.full(8), 4).forEach(b -> picked.add(b.piece()));
        }
        assertThat(picked).containsExactly(5);
    }

    @Test
    void completeWhenEveryWantedPieceIsInAndLeftCountsOnlyWantedBytes() {
        picker = setup("22222222", "   *   *");
        assertThat(picker.wantedBytes()).isEqualTo(PIECE + 10_000);
        assertThat(picker.bytesLeft()).isEqualTo(PIECE + 10_000);
        assertThat(picker.wantedCount()).isEqualTo(2);
        fetch(3);
        assertThat(picker.isComplete()).isFalse();
        assertThat(picker.bytesLeft()).isEqualTo(10_000);
        fetch(7);
        assertThat(picker.isComplete()).isTrue();
        assertThat(picker.bytesLeft()).isZero();
        assertThat(picker.missingCount()).isZero();
        assertThat(picker.have().isComplete()).as("a finished selection is not a whole torrent").isFalse();
        assertThat(picker.pick(1, Bitfield.full(8), 4)).isEmpty();
    }

    @Test
    void interestIsOnlyInWantedPiecesWeLack() {
        picker = setup("11111111", "  **    ");
        assertThat(picker.wantsAnyOf(Bitfield.parse("**  ****"))).isFalse();
        assertThat(picker.wantsAnyOf(Bitfield.parse("   *    "))).isTrue();
        assertThat(picker.wants(2)).isTrue();
        assertThat(picker.wants(0)).isFalse();
    }

    @Test
    void piecesFoundOnDiskOutsideTheSelectionStayHadAndAreNotCountedAsLeft() {
        picker = new PiecePicker(new TorrentShape(4, PIECE, 3L * PIECE + 10_000), new Random(3), 8);
        picker.markHave(0); // e.g. a file not chosen now but complete from an earlier download
        picker.restrictTo(bits("  **"));
        assertThat(picker.has(0)).isTrue();
        assertThat(picker.bytesLeft()).isEqualTo(PIECE + 10_000);
        picker.markHave(2);
        assertThat(picker.bytesLeft()).isEqualTo(10_000);
        assertThat(picker.haveCount()).isEqualTo(2);
        assertThat(picker.wantedCount() - picker.missingCount()).isEqualTo(1);
    }

    private void fetch(int piece) {
        Bitfield has = new Bitfield(8);
        has.set(piece);
        List<Block> blocks = picker.pick(1, has, 8);
        assertThat(blocks).isNotEmpty().allMatch(b -> b.piece() == piece);
        boolean done = false;
        for (Block b : blocks) {
            picker.blockReceived(1, b.piece(), b.offset());
            done = picker.blockWritten(b.piece(), b.offset());
        }
        assertThat(done).isTrue();
        picker.pieceVerified(piece);
    }

    private static PiecePicker setup(String availability, String wanted) {
        int n = availability.length();
        PiecePicker p = new PiecePicker(new TorrentShape(n, PIECE, (long) (n - 1) * PIECE + 10_000), new Random(7), 64);
        p.restrictTo(bits(wanted));
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < availability.charAt(i) - '0'; k++) {
                p.peerHas(i);
            }
        }
        p.checkInvariants();
        return p;
    }

    private static BitSet bits(String picture) {
        BitSet b = new BitSet();
        for (int i = 0; i < picture.length(); i++) {
            b.set(i, picture.charAt(i) == '*');
        }
        return b;
    }
}
