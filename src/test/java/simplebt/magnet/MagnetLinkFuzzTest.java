package simplebt.magnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.hardening.FuzzLoop;
import simplebt.hardening.Mutator;

/**
 * Mutated magnet links (seeded; 100,000 cases, 1,000,000 with -Dsimplebt.fuzz.long=true): the
 * parser returns a link or throws {@link MagnetException}, nothing else; every accepted link
 * prints to text that parses back to the same link.
 */
class MagnetLinkFuzzTest {
    private static final long SEED = 0x6a6e_e7L;
    private static final int ROUNDS = Mutator.rounds(100_000);
    private static final Mutator MUTATOR = new Mutator("magnet:?xt=urn:btih:&%.:[]+0123456789abcdefABXYZ27dntrpe=".getBytes(StandardCharsets.US_ASCII));
    private static final List<String> SEEDS = List.of(
            "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=a+b&tr=http%3A%2F%2Fh%3A1%2Fa",
            "magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK&x.pe=127.0.0.1:6881&x.pe=[::1]:5",
            "magnet:?xt.1=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&tr.1=udp://t:80&dn=%C3%A9");

    @Test
    void mutatedLinksParseOrFailWithMagnetException() {
        // a bad link is refused with a MagnetException
        int accepted = FuzzLoop.ofText(MUTATOR, SEED, ROUNDS, SEEDS).randomEvery(10, 120).accepted(MagnetException.class, input -> {
            String text = new String(input, StandardCharsets.ISO_8859_1);
            MagnetLink link = MagnetLink.parse(text);
            assertThat(MagnetLink.parse(link.toUri())).as(text).isEqualTo(link);
        });
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }
}
