package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warm-up only compiles code: it must finish by itself and leave nothing behind. */
class CipherWarmUpTest {
    @Test
    void runSealsAndOpensUntilDoneWithinItsBound() {
        int rounds = CipherWarmUp.run(); // a record that did not open would throw

        assertThat(rounds).isBetween(CipherWarmUp.MIN_ROUNDS, CipherWarmUp.MAX_ROUNDS);
    }

    @Test
    void startRunsOnADaemonThreadThatEnds() throws Exception {
        Thread t = CipherWarmUp.start();

        assertThat(t.isDaemon()).as("never keeps the JVM alive").isTrue();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
    }
}
