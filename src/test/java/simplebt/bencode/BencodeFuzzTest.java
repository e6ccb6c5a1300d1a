package simplebt.bencode;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import simplebt.hardening.FuzzLoop;
import simplebt.hardening.Mutator;

/**
 * 100,000 random and mutated inputs (1,000,000 with -Dsimplebt.fuzz.long=true), seeded so a failure reproduces. The decoder may only
 * succeed or throw {@link BencodeException}; since it accepts canonical input only, every
 * success must re-encode to exactly the input bytes.
 */
class BencodeFuzzTest {
    private static final long SEED = 0x5eed_b17L;
    private static final int ROUNDS = Mutator.rounds(100_000);
    private static final Mutator MUTATOR = new Mutator("ilde0123456789:-".getBytes(ISO_8859_1));

    @Test
    void randomAndMutatedInputsOnlyFailWithBencodeException() {
        int accepted = new FuzzLoop(MUTATOR, SEED, ROUNDS, seeds(new SplittableRandom(SEED))).randomEvery(5, 40)
                .accepted(BencodeException.class, input -> {
                    checkPrefixAndRawValue(input); // before decode, so they run on refused inputs too
                    BValue v;
                    try {
                        v = BencodeDecoder.decode(input);
                    } catch (BencodeException refused) {
                        assertThat(refused.offset()).isBetween(0L, (long) input.length);
                        throw refused;
                    }
                    assertThat(BencodeEncoder.encode(v)).as("re-encoding").isEqualTo(input);
                });
        // The mutations are gentle enough that some inputs stay valid; both paths get exercised.
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }

    /** The other two entry points: a value or a BencodeException, nothing else. */
    private static void checkPrefixAndRawValue(byte[] input) {
        try {
            BencodeDecoder.Prefix p = BencodeDecoder.decodePrefix(input, 0);
            assertThat(BencodeEncoder.encode(p.value())).as("decodePrefix").isEqualTo(Arrays.copyOf(input, p.end()));
        } catch (BencodeException expected) {
            // fine
        }
        try {
            BencodeDecoder.rawValue(input, "info");
        } catch (BencodeException expected) {
            // fine
        }
    }

    private static List<byte[]> seeds(SplittableRandom random) {
        List<byte[]> seeds = new ArrayList<>();
        byte[] pieces = new byte[60];
        random.nextBytes(pieces);
        seeds.add(BencodeEncoder.encode(BDict.builder()
                .put("announce", "http://127.0.0.1:8000/announce?passkey=abc")
                .put("announce-list", BList.of(BList.of(BString.of("http://a/announce")), BList.of(BString.of("udp://b:1"))))
                .put("comment", "fuzz seed")
                .put("created by", "simplebt test")
                .put("creation date", 1_700_000_000L)
                .put("info", BDict.builder()
                        .put("files", BList.of(
                                BDict.builder().put("length", 40000).put("path", BList.of(BString.of("dir"), BString.of("a.bin"))).build(),
                                BDict.builder().put("length", 0).put("path", BList.of(BString.of("empty"))).build(),
                                BDict.builder().put("length", 9000).put("path", BList.of(BString.of("z.txt"))).build()))
                        .put("name", "folder")
                        .put("piece length", 16384)
                        .put("pieces", pieces)
                        .put("private", 1)
                        .build())
                .build()));
        seeds.add(BencodeEncoder.encode(BDict.builder()
                .put("info", BDict.builder().put("length", 100000).put("name", "x.bin")
                        .put("piece length", 32768).put("pieces", Arrays.copyOf(pieces, 80)).build())
                .build()));
        for (String s : List.of("i-9223372036854775808e", "li0ei-1e0:de", "d1:ad1:bl1:ceee", "l" + "l".repeat(98) + "e".repeat(99))) {
            seeds.add(s.getBytes(ISO_8859_1));
        }
        return seeds;
    }
}
