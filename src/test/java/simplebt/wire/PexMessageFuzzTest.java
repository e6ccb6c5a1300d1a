package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.hardening.FuzzLoop;
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
        int accepted = FuzzLoop.ofText(MUTATOR, SEED, ROUNDS, SEEDS).randomEvery(10, 60).accepted(WireException.class, input -> {
            PexMessage m = PexMessage.decode(input);
            assertThat(PexMessage.decode(m.encode())).isEqualTo(m);
        });
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }
}
