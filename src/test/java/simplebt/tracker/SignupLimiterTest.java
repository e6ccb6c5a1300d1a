package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import simplebt.cli.UsageException;

class SignupLimiterTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void allowsTheBurstThenOnePerPeriodShare() throws Exception {
        SignupLimiter limiter = new SignupLimiter(new SignupRate(3, 300), clock::get);
        InetAddress a = ip("192.0.2.1");
        assertThat(limiter.take(a)).isZero();
        assertThat(limiter.take(a)).isZero();
        assertThat(limiter.take(a)).isZero();
        assertThat(limiter.take(a)).as("fourth at once: wait for one token, 300/3 s").isEqualTo(100);
        clock.addAndGet(40_000);
        assertThat(limiter.take(a)).as("refused attempts take nothing").isEqualTo(60);
        clock.addAndGet(60_000);
        assertThat(limiter.take(a)).isZero();
        assertThat(limiter.take(a)).isEqualTo(100);
        clock.addAndGet(3_600_000);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.take(a)).as("a long pause refills to the burst, not beyond").isZero();
        }
        assertThat(limiter.take(a)).isPositive();
    }

    @Test
    void addressesAreCountedApartButAnIpv6Slash64IsOne() throws Exception {
        SignupLimiter limiter = new SignupLimiter(new SignupRate(1, 600), clock::get);
        assertThat(limiter.take(ip("192.0.2.1"))).isZero();
        assertThat(limiter.take(ip("192.0.2.1"))).isEqualTo(600);
        assertThat(limiter.take(ip("192.0.2.2"))).isZero();
        assertThat(limiter.take(ip("2001:db8:1:2::1"))).isZero();
        assertThat(limiter.take(ip("2001:db8:1:2:ffff::9"))).as("same /64").isEqualTo(600);
        assertThat(limiter.take(ip("2001:db8:1:3::1"))).as("another /64").isZero();
        assertThat(limiter.take(ip("::ffff:192.0.2.2"))).as("IPv4-mapped is the IPv4 address").isEqualTo(600);
    }

    @Test
    void forgetsFullBucketsWhenTrackingVeryManyAddresses() throws Exception {
        SignupLimiter limiter = new SignupLimiter(new SignupRate(2, 60), clock::get);
        for (int i = 0; i <= SignupLimiter.PRUNE_ABOVE; i++) {
            limiter.take(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
        }
        clock.addAndGet(60_000);
        limiter.take(ip("192.0.2.1"));
        assertThat(limiter.tracked()).isEqualTo(1);
    }

    @Test
    void rateIsWrittenCountSlashSeconds() throws Exception {
        assertThat(SignupRate.parse("10/600")).isEqualTo(new SignupRate(10, 600));
        assertThat(SignupRate.parse(" 1 / 1 ")).isEqualTo(new SignupRate(1, 1));
        for (String bad : new String[] {"10", "0/60", "5/0", "-1/60", "a/b", "1/2/3", "", "/"}) {
            assertThatThrownBy(() -> SignupRate.parse(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("--signup-rate must be COUNT/SECONDS");
        }
        assertThat(TrackerMain.parse(new String[] {"--signup-rate", "3/60"}).signupRate()).isEqualTo(new SignupRate(3, 60));
        assertThat(TrackerMain.parse(new String[0]).signupRate()).isEqualTo(SignupRate.DEFAULT);
    }
}
