package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.hardening.FuzzLoop;
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
        int accepted = FuzzLoop.ofText(MUTATOR, SEED, ROUNDS, SEEDS).randomEvery(10, 60).accepted(WireException.class, input -> {
            MetadataMessage m = MetadataMessage.decode(input);
            assertThat(MetadataMessage.decode(m.encode())).isEqualTo(m);
        });
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }
}
