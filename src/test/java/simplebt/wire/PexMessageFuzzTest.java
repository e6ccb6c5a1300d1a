package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import simplebt.hardening.Mutator;

/**
 * Mutated ut_pex payloads (seeded; 100,000 cases, 1,000,000 long): decoded or refused with
 * {@link WireException}, never another exception; an accepted message survives its own encoding.
 */
class PexMessageFuzzTest {
    private static final long SEED = 0x9e_c5L;
    private static final int ROUNDS = Mutator.rounds(100_000);
    private static final Mutator MUTATOR = new Mutator("dile0123456789:added.f6dropped\0\1\u001a".getBytes(StandardCharsets.ISO_8859_1));
    private static final List<String> SEEDS = List.of("d5:added6:\n\0\0\001\u001a\u00e17:added.f1:\u00127:dropped6:\n\0\0\002\001\002e",
            "d5:added12:\1\2\3\4\0\1\5\6\7\10\0\0116:added618:\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1\0\1e", "d7:dropped0:e");

    @Test
    void mutatedPayloadsDecodeOrFailWithWireException() {
        SplittableRandom random = new SplittableRandom(SEED);
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = round % 10 == 0 ? MUTATOR.randomBytes(random, 60)
                    : MUTATOR.mutate(SEEDS.get(random.nextInt(SEEDS.size())).getBytes(StandardCharsets.ISO_8859_1), random);
            try {
                PexMessage m = PexMessage.decode(input);
                assertThat(PexMessage.decode(m.encode())).as("round %d: %s", round, Mutator.hex(input)).isEqualTo(m);
                accepted++;
            } catch (WireException expected) {
                // refused
            } catch (Throwable t) {
                fail("round " + round + " input " + Mutator.hex(input) + " threw " + t, t);
            }
        }
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }
}
