package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One started piece of three blocks (16 KiB, 16 KiB and 8 KiB) and its block states. */
class StartedPieceTest {
    private final StartedPiece piece = new StartedPiece(7, 3, 40 * 1024);

    @AfterEach
    void invariantsHold() {
        piece.checkInvariants();
    }

    private List<Block> take(int peerId, int max) {
        List<Block> out = new ArrayList<>();
        piece.takeFree(peerId, max, out, 0);
        return out;
    }

    @Test
    void blocksAreHandedOutInOrderAndTheLastIsShort() {
        assertThat(take(1, 3)).containsExactly(new Block(7, 0, 16384), new Block(7, 16384, 16384), new Block(7, 32768, 8192));
        assertThat(take(2, 3)).as("all requested").isEmpty();
    }

    @Test
    void theFirstArrivalIsWrittenAndTheOtherAskedPeersGetACancel() {
        take(1, 1);
        List<Block> doubled = new ArrayList<>();
        piece.takeDuplicates(2, 1, doubled, 0); // end-game: peer 2 is asked for block 0 too
        assertThat(doubled).containsExactly(new Block(7, 0, 16384));

        PiecePicker.Received first = piece.claimForWriting(0, 2);
        assertThat(first.wanted()).isTrue();
        assertThat(first.cancelAt()).containsExactly(1);
        assertThat(piece.claimForWriting(0, 1).wanted()).as("being written already").isFalse();
        piece.written(0);
        assertThat(piece.claimForWriting(0, 1).wanted()).as("received already").isFalse();
    }

    @Test
    void anUnrequestedBlockThatArrivesIsStillTaken() {
        assertThat(piece.claimForWriting(2, 5)).isEqualTo(PiecePicker.Received.WANTED);
        assertThat(take(1, 3)).as("block 2 is no longer free").containsExactly(new Block(7, 0, 16384), new Block(7, 16384, 16384));
    }

    @Test
    void onlyTheLastWrittenBlockCompletesThePiece() {
        take(1, 3);
        for (int b = 0; b < 3; b++) {
            piece.claimForWriting(b, 1);
        }
        assertThat(piece.written(2)).isFalse();
        assertThat(piece.written(0)).isFalse();
        assertThat(piece.written(1)).isTrue();
    }

    @Test
    void aBlockNotClaimedCannotBeWritten() {
        take(1, 1);
        assertThatThrownBy(() -> piece.written(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("block 7/0 was not claimed for writing");
    }

    @Test
    void aBlockBeyondThePieceIsNotWanted() {
        assertThat(piece.claimForWriting(3, 1).wanted()).isFalse();
    }
}
