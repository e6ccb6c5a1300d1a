package simplebt.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.function.LongSupplier;

/**
 * Limits account creation per client address with a token bucket ({@link SignupRate}): a
 * flood of sign-ups from one address creates a few accounts, not thousands, and so cannot
 * make the tracker spend its time hashing passwords and rewriting the accounts file. IPv6
 * clients are counted per /64, since one host can trivially use a whole /64.
 */
final class SignupLimiter {
    /** Above this many tracked addresses, full buckets (which carry no state) are dropped. */
    static final int PRUNE_ABOVE = TokenBuckets.PRUNE_ABOVE;

    private final TokenBuckets buckets;

    SignupLimiter(SignupRate rate, LongSupplier clockMillis) {
        this.buckets = new TokenBuckets(rate.count(), rate.perSeconds(), clockMillis);
    }

    /**
     * Takes one sign-up from {@code address}'s allowance: 0 when allowed, otherwise the whole
     * seconds until the next one is (and nothing is taken).
     */
    long take(InetAddress address) {
        return buckets.take(key(address));
    }

    int tracked() {
        return buckets.tracked();
    }

    static String key(InetAddress address) {
        byte[] a = address.getAddress();
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(a, 0, 8) + "::/64";
        }
        return address.getHostAddress();
    }
}
