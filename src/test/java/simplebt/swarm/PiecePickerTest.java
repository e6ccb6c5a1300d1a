package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import simplebt.wire.TorrentShape;

/**
 * Pictures: availability "2213" means piece 0 is held by 2 peers, piece 2 by 1...; have
 * "** " means we hold pieces 0 and 1. Pieces here are two 16 KiB blocks (the last shorter).
 */
class PiecePickerTest {
    private static final int PIECE = 32 * 1024;
    private PiecePicker picker;

    @AfterEach
    void invariantsHold() {
        if (picker != null) {
            picker.checkInvariants();
        }
    }

    @Test
    void picksRarestFirst() {
        picker = setup("22222313", "****    ");
        List<Block> picked = picker.pick(1, all(8), 2);
        assertThat(picked).containsExactly(new Block(6, 0, 16384), new Block(6, 16384, 16384));
        assertThat(pieces(picker.pick(1, all(8), 2))).containsExactly(4, 4); // then 2 before 3
    }

    @Test
    void picksOnlyPiecesThePeerHas() {
        picker = setup("11111111", "****    ");
        assertThat(pieces(picker.pick(1, Bitfield.parse("      * "), 10))).containsExactly(6, 6);
    }

    @Test
    void picksRandomPiecesUntilItHasAFew() {
        Set<Integer> firsts = new HashSet<>();
        for (int seed = 0; seed < 20; seed++) {
            picker = setup("1111111111111111", "                ", seed);
            firsts.add(picker.pick(1, all(16), 1).get(0).piece());
        }
        assertThat(firsts.size()).isGreaterThan(3); // not always the same (first, rarest) piece
    }

    @Test
    void neverGivesTheSameBlockToTwoPeersBeforeEndGame() {
        picker = setup("2222", "    ");
        List<Block> a = picker.pick(1, all(4), 3);
        List<Block> b = picker.pick(2, all(4), 3);
        assertThat(a).doesNotContainAnyElementsOf(b);
        assertThat(a.size() + b.size()).isEqualTo(6);
    }

    @Test
    void finishesStartedPiecesBeforeStartingNewOnes() {
        picker = setup("22222222", "****    ");
        Block first = picker.pick(1, all(8), 1).get(0);
        Block second = picker.pick(2, all(8), 1).get(0);
        assertThat(second.piece()).isEqualTo(first.piece());
        assertThat(second.offset()).isEqualTo(16384);
    }

    @Test
    void blocksOfOnePieceMayComeFromSeveralPeers() {
        picker = setup("22", "  ");
        Block a = picker.pick(1, all(2), 1).get(0);
        Block b = picker.pick(2, Bitfield.parse(a.piece() == 0 ? "* " : " *"), 1).get(0);
        assertThat(b.piece()).isEqualTo(a.piece());
        assertThat(receive(1, a)).isFalse();
        assertThat(receive(2, b)).isTrue(); // the piece is complete with blocks from two peers
    }

    @Test
    void lastPieceIsShort() {
        picker = new PiecePicker(new TorrentShape(2, PIECE, PIECE + 20_000), new Random(1), 8);
        picker.markHave(0);
        picker.peerHas(Bitfield.full(2));
        assertThat(picker.pick(1, all(2), 5)).containsExactly(new Block(1, 0, 16384), new Block(1, 16384, 20_000 - 16384));
    }

    @Test
    void releasedRequestsGoToOtherPeers() {
        picker = setup("2222", "*** ");
        List<Block> a = picker.pick(1, all(4), 2);
        picker.release(1, a);
        assertThat(picker.pick(2, all(4), 2)).containsExactlyElementsOf(a);
    }

    @Test
    void endGameRequestsBlocksTwiceAndCancelsTheSlowerPeer() {
        picker = setup("22", "* ");
        List<Block> a = picker.pick(1, all(2), 2);
        List<Block> b = picker.pick(2, all(2), 2); // nothing unrequested is left: end-game
        assertThat(b).containsExactlyElementsOf(a);
        assertThat(picker.pick(2, all(2), 2)).isEmpty(); // never twice to the same peer
        PiecePicker.Received r = picker.blockReceived(1, a.get(0).piece(), a.get(0).offset());
        assertThat(r.wanted()).isTrue();
        assertThat(r.cancelAt()).containsExactly(2);
        picker.blockWritten(a.get(0).piece(), a.get(0).offset());
        assertThat(picker.blockReceived(2, a.get(0).piece(), a.get(0).offset()).wanted()).isFalse(); // late duplicate
    }

    @Test
    void aFailedHashMakesThePieceWantedAgain() {
        picker = setup("2", " ");
        List<Block> a = picker.pick(1, all(1), 2);
        a.forEach(b -> receive(1, b));
        picker.pieceFailed(0);
        assertThat(picker.pick(2, all(1), 2)).containsExactlyElementsOf(a);
        assertThat(picker.isComplete()).isFalse();
    }

    @Test
    void verifiedPiecesAreNeverPickedAgain() {
        picker = setup("2", " ");
        picker.pick(1, all(1), 2).forEach(b -> receive(1, b));
        picker.pieceVerified(0);
        assertThat(picker.isComplete()).isTrue();
        assertThat(picker.pick(2, all(1), 2)).isEmpty();
    }

    @Test
    void aPeerLeavingMakesItsPiecesRarer() {
        picker = setup("22222222", "****    ");
        picker.peerGone(9, Bitfield.parse("    *** "), List.of());
        assertThat(picker.pick(1, all(8), 1).get(0).piece()).isBetween(4, 6);
    }

    @Test
    void startsNoMorePiecesThanItHasBuffersFor() {
        picker = new PiecePicker(new TorrentShape(8, PIECE, 8L * PIECE), new Random(3), 2);
        picker.peerHas(Bitfield.full(8));
        assertThat(picker.pick(1, all(8), 100)).hasSize(4); // two pieces of two blocks
        assertThat(picker.startedCount()).isEqualTo(2);
    }

    /** Issue 14: a slow peer holding requests in every started piece starved the fast ones. */
    @Test
    void aPeerAtItsShareOfStartedPiecesStartsNoNewOneButOthersStill() {
        picker = new PiecePicker(new TorrentShape(8, PIECE, 8L * PIECE), new Random(3), 4);
        picker.peerHas(Bitfield.full(8));
        assertThat(pieces(picker.pick(1, all(8), 100, 2))).as("slow peer: two pieces, its share").hasSize(4);
        assertThat(picker.startedCount()).isEqualTo(2);
        assertThat(picker.pick(1, all(8), 100, 2)).as("nothing more for the slow peer").isEmpty();
        assertThat(picker.pick(2, all(8), 100, 2)).as("the fast peer starts its own two").hasSize(4);
        assertThat(picker.startedCount()).isEqualTo(4);
    }

    @Test
    void aPeerJoinsStartedPiecesEvenAtItsShare() {
        picker = new PiecePicker(new TorrentShape(8, PIECE, 8L * PIECE), new Random(3), 4);
        picker.peerHas(Bitfield.full(8));
        List<Block> first = picker.pick(1, all(8), 1, 1);
        assertThat(picker.pick(2, all(8), 1, 0)).as("peer 2 may not start a piece, but takes the free block of peer 1's")
                .containsExactly(new Block(first.get(0).piece(), 16384, 16384));
    }

    @Test
    void interestFollowsWhatWeLack() {
        picker = setup("11", "* ");
        assertThat(picker.wantsAnyOf(Bitfield.parse("* "))).isFalse();
        assertThat(picker.wantsAnyOf(Bitfield.parse(" *"))).isTrue();
    }

    @Test
    void bucketsStayConsistentUnderRandomChurn() {
        Random r = new Random(42);
        picker = new PiecePicker(new TorrentShape(200, PIECE, 200L * PIECE), r, 16);
        int[] availability = new int[200];
        for (int step = 0; step < 3000; step++) {
            int piece = r.nextInt(200);
            switch (r.nextInt(4)) {
                case 0, 1 -> {
                    picker.peerHas(piece);
                    availability[piece]++;
                }
                case 2 -> {
                    if (availability[piece] > 0) {
                        availability[piece]--;
                        picker.peerGone(1, Bitfield.parse(" ".repeat(piece) + "*" + " ".repeat(199 - piece)), List.of());
                    }
                }
                default -> picker.pick(1, all(200), 3).forEach(b -> {
                    picker.blockReceived(1, b.piece(), b.offset());
                    if (picker.blockWritten(b.piece(), b.offset())) {
                        picker.pieceVerified(b.piece());
                    }
                });
            }
            if (step % 100 == 0) {
                picker.checkInvariants();
            }
        }
    }

    private boolean receive(int peer, Block b) {
        assertThat(picker.blockReceived(peer, b.piece(), b.offset()).wanted()).isTrue();
        return picker.blockWritten(b.piece(), b.offset());
    }

    @Test
    void aBlockDoubledUpInEndGameLeavesTheOtherBlocksOfThatPeerAlone() {
        // The blocks one peer was asked for share one requester list; doubling up one of them
        // must not add the second peer to its neighbours (it would be sent cancels it never asked for).
        picker = setup("2", " ");
        List<Block> a = picker.pick(1, all(1), 2);
        assertThat(a).hasSize(2);
        assertThat(picker.pick(2, all(1), 1)).containsExactly(a.get(0));
        assertThat(picker.blockReceived(1, a.get(1).piece(), a.get(1).offset()).cancelAt()).isEmpty();
        assertThat(picker.blockReceived(1, a.get(0).piece(), a.get(0).offset()).cancelAt()).containsExactly(2);
    }

    @Test
    void endGameDoublesUpOnlyOnBlocksOutstandingLongEnough() {
        long[] now = {0};
        picker = new PiecePicker(new TorrentShape(1, PIECE, PIECE), new Random(1), 8, () -> now[0], 1_000);
        picker.peerHas(0);
        List<Block> a = picker.pick(1, all(1), 2);
        assertThat(a).hasSize(2);
        now[0] = 999;
        assertThat(picker.pick(2, all(1), 2)).as("requested just now: no duplicate yet").isEmpty();
        now[0] = 1_000;
        assertThat(picker.pick(2, all(1), 2)).containsExactlyElementsOf(a);
        picker.checkInvariants();
    }

    private static PiecePicker setup(String availability, String have) {
        return setup(availability, have, 7);
    }

    private static PiecePicker setup(String availability, String have, long seed) {
        int n = availability.length();
        PiecePicker p = new PiecePicker(new TorrentShape(n, PIECE, (long) n * PIECE), new Random(seed), 64);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < availability.charAt(i) - '0'; k++) {
                p.peerHas(i);
            }
            if (have.charAt(i) == '*') {
                p.markHave(i);
            }
        }
        p.checkInvariants();
        return p;
    }

    private static Bitfield all(int n) {
        return Bitfield.full(n);
    }

    private static List<Integer> pieces(List<Block> blocks) {
        return blocks.stream().map(Block::piece).toList();
    }
}
