package simplebt.tracker;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How many torrents one user may upload: {@link #PER_HOUR} at once, then one more every
 * {@code 3600 / PER_HOUR} seconds, and at most {@link #MAX_PER_USER} in all. Each upload
 * costs a decode, a file of up to 10 MiB on disk and an entry in memory; without a limit a
 * single account could fill the disk in a loop.
 */
final class UploadLimiter {
    /** The soak test's busiest user makes ~25 uploads in 30 minutes; a person far fewer. */
    static final int PER_HOUR = 60;
    static final int MAX_PER_USER = 1_000;
    private final TokenBuckets buckets;

    UploadLimiter(LongSupplier clockMillis) {
        this.buckets = new TokenBuckets(PER_HOUR, 3600, clockMillis);
    }

    /** Takes one upload from the user's allowance, or refuses with 429 and {@code Retry-After}. */
    void take(String username, long uploadsSoFar) throws ApiException {
        if (uploadsSoFar >= MAX_PER_USER) {
            throw new ApiException(429, "you have uploaded " + MAX_PER_USER
                    + " torrents, the most one user may keep on this tracker");
        }
        long wait = buckets.take(username.toLowerCase(Locale.ROOT));
        if (wait > 0) {
            throw new ApiException(429, "too many uploads, try again in " + wait + " s", wait);
        }
    }
}
