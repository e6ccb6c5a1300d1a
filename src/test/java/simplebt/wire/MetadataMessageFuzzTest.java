package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import simplebt.hardening.Mutator;

/**
 * Mutated ut_metadata payloads (seeded; 100,000 cases, 1,000,000 long): decoded or refused with
 * {@link WireException}; an accepted message survives its own encoding unchanged (keys it does not
 * know are dropped, as other clients may add some).
 */
class MetadataMessageFuzzTest {
    private static final long SEED = 0x3e7a_da7aL;
    private static final int ROUNDS = Mutator.rounds(100_000);
    private static final Mutator MUTATOR = new Mutator("dile0123456789:msg_typepiecetotal_size-".getBytes(StandardCharsets.US_ASCII));
    private static final List<String> SEEDS = List.of("d8:msg_typei0e5:piecei0ee", "d8:msg_typei2e5:piecei3ee",
            "d8:msg_typei1e5:piecei1e10:total_sizei20000eexyz");

    @Test
    void mutatedPayloadsDecodeOrFailWithWireException() {
        SplittableRandom random = new SplittableRandom(SEED);
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = round % 10 == 0 ? MUTATOR.randomBytes(random, 60)
                    : MUTATOR.mutate(SEEDS.get(random.nextInt(SEEDS.size())).getBytes(StandardCharsets.ISO_8859_1), random);
            try {
                MetadataMessage m = MetadataMessage.decode(input);
                assertThat(MetadataMessage.decode(m.encode())).as("round %d: %s", round, Mutator.hex(input)).isEqualTo(m);
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
