package simplebt.tracker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing: after a few failures for the same username or the same
 * client address, each further attempt waits longer (doubling up to a cap) before it is
 * checked. A success clears the username's record; records fade after a quiet spell.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 3;
    static final long BASE_DELAY_MILLIS = 250;
    static final long MAX_DELAY_MILLIS = 8_000;
    static final long FORGET_AFTER_MILLIS = 15 * 60_000;

    private record Failures(int count, long lastMillis) {
    }

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    LoginThrottle(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    /** How long to wait before checking a login for this user from this address. */
    long delayMillis(String username, String address) {
        return Math.max(delay(userKey(username)), delay(addressKey(address)));
    }

    void failed(String username, String address) {
        long now = clock.getAsLong();
        for (String key : new String[] {userKey(username), addressKey(address)}) {
            failures.merge(key, new Failures(1, now), (old, one) ->
                    new Failures(fresh(old, now) ? old.count + 1 : 1, now));
        }
        if (failures.size() > 100_000) {
            failures.entrySet().removeIf(e -> !fresh(e.getValue(), now));
        }
    }

    void succeeded(String username) {
        failures.remove(userKey(username));
    }

    private long delay(String key) {
        Failures f = failures.get(key);
        if (f == null || !fresh(f, clock.getAsLong()) || f.count < FREE_FAILURES) {
            return 0;
        }
        int doublings = Math.min(f.count - FREE_FAILURES, 10);
        return Math.min(BASE_DELAY_MILLIS << doublings, MAX_DELAY_MILLIS);
    }

    private static boolean fresh(Failures f, long now) {
        return now - f.lastMillis < FORGET_AFTER_MILLIS;
    }

    private static String userKey(String username) {
        return "user:" + username.toLowerCase(java.util.Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "addr:" + address;
    }
}
