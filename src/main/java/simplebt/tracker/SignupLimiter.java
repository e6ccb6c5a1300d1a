package simplebt.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits account creation per client address with a token bucket ({@link SignupRate}): a
 * flood of sign-ups from one address creates a few accounts, not thousands, and so cannot
 * make the tracker spend its time hashing passwords and rewriting the accounts file. IPv6
 * clients are counted per /64, since one host can trivially use a whole /64.
 */
final class SignupLimiter {
    /** Above this many tracked addresses, full buckets (which carry no state) are dropped. */
    static final int PRUNE_ABOVE = 100_000;

    /** Credit is kept in milliseconds of refill time: one sign-up costs {@link #costMillis}. */
    private record Bucket(long creditMillis, long atMillis) {
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final long costMillis;
    private final long capacityMillis;
    private final LongSupplier clock;

    SignupLimiter(SignupRate rate, LongSupplier clockMillis) {
        this.costMillis = Math.max(1, rate.perSeconds() * 1000L / rate.count());
        this.capacityMillis = costMillis * rate.count();
        this.clock = clockMillis;
    }

    /**
     * Takes one sign-up from {@code address}'s allowance: 0 when allowed, otherwise the whole
     * seconds until the next one is (and nothing is taken).
     */
    long take(InetAddress address) {
        long now = clock.getAsLong();
        long[] wait = {0};
        buckets.compute(key(address), (k, b) -> {
            long credit = refilled(b, now);
            if (credit >= costMillis) {
                return new Bucket(credit - costMillis, now);
            }
            wait[0] = Math.max(1, (costMillis - credit + 999) / 1000);
            return new Bucket(credit, now);
        });
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.entrySet().removeIf(e -> refilled(e.getValue(), now) >= capacityMillis);
        }
        return wait[0];
    }

    int tracked() {
        return buckets.size();
    }

    private long refilled(Bucket b, long now) {
        if (b == null) {
            return capacityMillis;
        }
        return Math.min(capacityMillis, b.creditMillis + Math.max(0, now - b.atMillis));
    }

    static String key(InetAddress address) {
        byte[] a = address.getAddress();
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(a, 0, 8) + "::/64";
        }
        return address.getHostAddress();
    }
}
