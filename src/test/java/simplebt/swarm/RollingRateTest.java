package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RollingRateTest {
    private static RollingRate fed(long... seconds) {
        RollingRate r = new RollingRate();
        for (long b : seconds) {
            r.add(b);
        }
        return r;
    }

    @Test
    void averagesTheLastTwentySeconds() {
        long[] steady = new long[30];
        java.util.Arrays.fill(steady, 100_000);
        assertThat(fed(steady).rate()).isEqualTo(100_000);
        RollingRate r = fed(steady);
        for (int i = 0; i < 10; i++) {
            r.add(0);
        }
        assertThat(r.rate()).as("10 s of silence halve a 20 s average").isEqualTo(50_000);
    }

    /** The 2 s display rate let a 3 s pause cost a steady peer its rank to a newcomer's burst; 20 s does not. */
    @Test
    void aShortPauseDoesNotLetABurstOutrankASteadySender() {
        long[] steady = new long[20];
        java.util.Arrays.fill(steady, 100_000);
        steady[17] = steady[18] = steady[19] = 0;
        long[] burst = new long[20];
        burst[18] = burst[19] = 300_000;
        assertThat(fed(steady).rate()).isGreaterThan(fed(burst).rate());
        double ewmaSteady = 0;
        double ewmaBurst = 0;
        for (int i = 0; i < 20; i++) {
            ewmaSteady = Rates.update(ewmaSteady, steady[i]);
            ewmaBurst = Rates.update(ewmaBurst, burst[i]);
        }
        assertThat(ewmaBurst).as("the display rate ranks them the other way").isGreaterThan(ewmaSteady);
    }

    @Test
    void aYoungConnectionIsAveragedOverTheSecondsItHad() {
        assertThat(fed(40_000, 60_000).rate()).isEqualTo(50_000);
        assertThat(new RollingRate().rate()).isZero();
    }

    @Test
    void sentLatelyLooksAtTheLastRoundOnly() {
        long[] earlyOnly = new long[20];
        earlyOnly[5] = 1;
        assertThat(fed(earlyOnly).sentLately()).isFalse();
        earlyOnly[12] = 1;
        assertThat(fed(earlyOnly).sentLately()).isTrue();
        assertThat(new RollingRate().sentLately()).isFalse();
    }
}
