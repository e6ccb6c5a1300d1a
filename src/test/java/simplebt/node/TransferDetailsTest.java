package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.swarm.Bitfield;
import simplebt.swarm.PeerSummary;

/** A torrent's files with what we hold of each, and its peers, as the menu lists them. */
class TransferDetailsTest {
    // 14 bytes in pieces of 4: [0,4) [4,8) [8,12) [12,14)
    //   a.txt  [0,3)   b.bin [3,9)   empty [9,9)   pad (BEP 47)   d/e.dat [9,14)
    private static final Info INFO = new Info("share", 4, new byte[20 * 4], List.of(
            new FileEntry(List.of("a.txt"), 3, 0),
            new FileEntry(List.of("b.bin"), 6, 3),
            new FileEntry(List.of("empty"), 0, 9),
            new FileEntry(List.of(".pad", "0"), 0, 9, true),
            new FileEntry(List.of("d", "e.dat"), 5, 9)), true, false);

    @Test
    void aPieceAtAFileEdgeCountsOnlyItsOverlap() {
        Bitfield have = Bitfield.parse("* * ");           // pieces 0 and 2
        assertThat(TransferDetails.held(INFO, INFO.files().get(0), have)).isEqualTo(3); // all of piece 0's first 3 bytes
        assertThat(TransferDetails.held(INFO, INFO.files().get(1), have)).isEqualTo(2); // byte 3 (piece 0) and byte 8 (piece 2)
        assertThat(TransferDetails.held(INFO, INFO.files().get(2), have)).isZero();
        assertThat(TransferDetails.held(INFO, INFO.files().get(4), have)).isEqualTo(3); // bytes 9-11 of piece 2; the short last piece missing
        assertThat(TransferDetails.held(INFO, INFO.files().get(4), Bitfield.full(4))).isEqualTo(5);
    }

    @Test
    void filesTableWithAndWithoutProgress() {
        assertThat(TransferDetails.files(INFO, Optional.of(Bitfield.parse("* * "))).render().lines().toList()).containsExactly(
                "No.  File           Size  Progress",
                "---  -------------  ----  --------",
                "  1  share/a.txt     3 B  100.0%",
                "  2  share/b.bin     6 B  33.3%",
                "  3  share/empty     0 B  100.0%",
                "  4  share/d/e.dat   5 B  60.0%");
        assertThat(TransferDetails.files(INFO, Optional.empty()).render()).contains("  1  share/a.txt     3 B  -");
    }

    @Test
    void peersTable() {
        PeerSummary ours = new PeerSummary(new InetSocketAddress("127.0.0.1", 6881), "-SJ0100-", true, true, 2048, 0);
        PeerSummary other = new PeerSummary(new InetSocketAddress("10.0.0.7", 51413), "?", false, false, 0, 1536);
        assertThat(TransferDetails.peers(List.of(ours, other)).render().lines().toList()).containsExactly(
                "Address         Client    Dir  Down       Up         Seed",
                "--------------  --------  ---  ---------  ---------  ----",
                "127.0.0.1:6881  -SJ0100-  out  2.0 KiB/s      0 B/s  yes",
                "10.0.0.7:51413  ?         in       0 B/s  1.5 KiB/s  no");
    }
}
