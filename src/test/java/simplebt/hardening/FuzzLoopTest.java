package simplebt.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The shared fuzz loop itself: it counts accepted inputs, checks refusals, and fails on anything else. */
class FuzzLoopTest {
    private static final Mutator MUTATOR = new Mutator("abc0123456789".getBytes(StandardCharsets.US_ASCII));

    private static FuzzLoop loop(int rounds) {
        return FuzzLoop.ofText(MUTATOR, 1, rounds, List.of("abc123", "c0ffee")).randomEvery(10, 20);
    }

    @Test
    void countsWhatTheTargetAcceptsAndChecksWhatItRefuses() {
        int[] refusals = {0};
        int accepted = loop(1000).accepted(NumberFormatException.class,
                input -> Long.parseLong(new String(input, StandardCharsets.US_ASCII)),
                refused -> refusals[0]++);
        assertThat(accepted).isPositive();
        assertThat(refusals[0]).isPositive();
        assertThat(accepted + refusals[0]).isEqualTo(1000);
    }

    @Test
    void anyOtherExceptionFailsTheTestNamingTheRoundAndTheInput() {
        assertThatThrownBy(() -> loop(100).accepted(NumberFormatException.class, input -> {
            throw new IllegalStateException("a bug");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("round 0 input ").hasMessageContaining("a bug");
    }

    @Test
    void aFailedAssertionInTheTargetOrTheRefusalCheckFailsTheTestToo() {
        assertThatThrownBy(() -> loop(100).accepted(NumberFormatException.class,
                input -> assertThat(input).isEmpty())).isInstanceOf(AssertionError.class).hasMessageContaining("round ");
        assertThatThrownBy(() -> loop(100).accepted(NumberFormatException.class,
                input -> Long.parseLong(new String(input, StandardCharsets.US_ASCII)),
                refused -> assertThat(refused).hasMessage("never this"))).isInstanceOf(AssertionError.class);
    }
}
