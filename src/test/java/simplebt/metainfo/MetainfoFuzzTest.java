package simplebt.metainfo;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.bencode.BDict;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BencodeEncoder;
import simplebt.hardening.FuzzLoop;
import simplebt.hardening.Mutator;

/**
 * Mutated valid torrents (seeded; 30,000 cases, 1,000,000 with -Dsimplebt.fuzz.long=true).
 * {@link Metainfo#parse} may only succeed or throw {@link MetainfoException}; a torrent it
 * accepts must be one the node can use safely: every path component passes {@link PathRules},
 * sizes add up, and there is one 20-byte hash per piece.
 */
class MetainfoFuzzTest {
    private static final long SEED = 0x70_44e47L;
    private static final int ROUNDS = Mutator.rounds(30_000);
    private static final Mutator MUTATOR = new Mutator("ilde0123456789:-./\\".getBytes(ISO_8859_1));

    @Test
    void mutatedTorrentsParseOrFailWithMetainfoException() {
        int accepted = new FuzzLoop(MUTATOR, SEED, ROUNDS, seeds()).randomEvery(20, 60).accepted(MetainfoException.class,
                input -> checkUsable(Metainfo.parse(input)),
                refused -> assertThat(refused.getMessage()).isNotBlank());
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }

    private static void checkUsable(Metainfo m) {
        Info info = m.info();
        String where = "an accepted torrent";
        assertThat(info.pieceLength()).as(where).isPositive();
        assertThat(info.pieceHashes().length).as(where).isEqualTo(info.pieceCount() * 20);
        long expectedPieces = (info.totalLength() + info.pieceLength() - 1) / info.pieceLength();
        assertThat((long) info.pieceCount()).as(where).isEqualTo(Math.max(expectedPieces, info.pieceCount() == 0 ? 0 : 1));
        assertThat(PathRules.problem(info.name())).as(where).isNull();
        long sum = 0;
        for (FileEntry f : info.files()) {
            assertThat(f.length()).as(where).isNotNegative();
            assertThat(f.offset()).as(where).isEqualTo(sum);
            sum += f.length();
            for (String component : info.relativePath(f)) {
                assertThat(PathRules.problem(component)).as(where + " path " + info.relativePath(f)).isNull();
            }
        }
        assertThat(sum).as(where).isEqualTo(info.totalLength());
        assertThat(m.infoHash().bytes()).hasSize(20);
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(TestTorrents.torrent(TestTorrents.singleInfo()));
        seeds.add(TestTorrents.torrent(TestTorrents.multiInfo()));
        seeds.add(BencodeEncoder.encode(BDict.builder()
                .put("announce", "http://127.0.0.1:8000/announce?passkey=abc")
                .put("announce-list", BList.of(BList.of(BString.of("http://a/announce")), BList.of(BString.of("udp://b:1"))))
                .put("info", BDict.builder()
                        .put("files", BList.of(TestTorrents.file(40000, "dir", "a.bin"), TestTorrents.file(9000, "z.txt")))
                        .put("name", "folder")
                        .put("piece length", 16384)
                        .put("pieces", new byte[4 * 20])
                        .put("private", 1)
                        .build())
                .build()));
        return seeds;
    }
}
