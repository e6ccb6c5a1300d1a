package simplebt.tracker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Bounds password guessing per account and per client address (IPv6 per /64): one check at a
 * time for each, and after {@link #FREE_FAILURES} failures each further check must wait a
 * delay after the last failure (doubling up to {@link #MAX_DELAY_MILLIS}). An attempt that
 * comes too early, or while another for the same account or address is being checked, is
 * refused at once with 429 and {@code Retry-After}: parallel connections no longer multiply
 * the guessing rate, and refused attempts cost no password hash. A success clears the
 * account's record; records fade after {@link #FORGET_AFTER_MILLIS} without failures.
 *
 * <p>Known trade-off: while an account is attacked its owner is refused too, for at most the
 * current delay; other accounts and addresses are not affected.
 *
 * <p>Threads: {@code records} is read and changed only under {@code lock}, held for map
 * operations only (never while a password is hashed).
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 3;
    static final long BASE_DELAY_MILLIS = 250;
    static final long MAX_DELAY_MILLIS = 30_000;
    static final long FORGET_AFTER_MILLIS = 15 * 60_000;
    /** Above this many records, faded ones are dropped. */
    static final int PRUNE_ABOVE = 100_000;

    /**
     * One login attempt admitted to a password check; hand it back to {@link #finish}.
     * {@code suspect}: the account or the address failed lately (its check waits behind others).
     */
    record Attempt(String userKey, String addressKey, boolean suspect) {
    }

    /** How an admitted attempt ended; NOT_CHECKED (hashing was busy) changes no record. */
    enum Result { SUCCEEDED, FAILED, NOT_CHECKED }

    private static final class Record {
        int failures;
        long lastFailureMillis;
        boolean inFlight;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Record> records = new HashMap<>();
    private final LongSupplier clock;

    LoginThrottle(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    /** Admits one check for this account from this address, or refuses with 429. */
    Attempt begin(String username, String address) throws ApiException {
        String userKey = userKey(username);
        String addressKey = addressKey(address);
        long now = clock.getAsLong();
        lock.lock();
        try {
            Record user = records.get(userKey);
            Record addr = records.get(addressKey);
            if (user != null && user.inFlight || addr != null && addr.inFlight) {
                throw new ApiException(429, "another login for this account or from this address is being checked; "
                        + "try again in 1 s", 1);
            }
            long wait = Math.max(remaining(user, now), remaining(addr, now));
            if (wait > 0) {
                long seconds = (wait + 999) / 1000;
                throw new ApiException(429, "too many failed logins; try again in " + seconds + " s", seconds);
            }
            // Records are made only for admitted attempts, so refusals cost no memory.
            boolean suspect = user != null && user.failures > 0 && !faded(user, now)
                    || addr != null && addr.failures > 0 && !faded(addr, now);
            records.computeIfAbsent(userKey, k -> new Record()).inFlight = true;
            records.computeIfAbsent(addressKey, k -> new Record()).inFlight = true;
            return new Attempt(userKey, addressKey, suspect);
        } finally {
            lock.unlock();
        }
    }

    /** Ends an admitted attempt: a failure counts against both keys, a success clears the account. */
    void finish(Attempt a, Result result) {
        long now = clock.getAsLong();
        lock.lock();
        try {
            for (String key : new String[] {a.userKey(), a.addressKey()}) {
                Record r = records.get(key);
                if (r == null) {
                    continue;
                }
                r.inFlight = false;
                if (result == Result.FAILED) {
                    r.failures = faded(r, now) ? 1 : r.failures + 1;
                    r.lastFailureMillis = now;
                } else if (result == Result.SUCCEEDED && key.equals(a.userKey())) {
                    r.failures = 0;
                }
                if (r.failures == 0) {
                    records.remove(key);
                }
            }
            if (records.size() > PRUNE_ABOVE) {
                records.values().removeIf(r -> !r.inFlight && faded(r, now));
            }
        } finally {
            lock.unlock();
        }
    }

    /** How long a check for this account from this address must still wait (0: now). */
    long delayMillis(String username, String address) {
        long now = clock.getAsLong();
        lock.lock();
        try {
            return Math.max(remaining(records.get(userKey(username)), now), remaining(records.get(addressKey(address)), now));
        } finally {
            lock.unlock();
        }
    }

    int tracked() {
        lock.lock();
        try {
            return records.size();
        } finally {
            lock.unlock();
        }
    }

    private static long remaining(Record r, long now) {
        if (r == null || r.failures < FREE_FAILURES || faded(r, now)) {
            return 0;
        }
        int doublings = Math.min(r.failures - FREE_FAILURES, 16);
        long delay = Math.min(BASE_DELAY_MILLIS << doublings, MAX_DELAY_MILLIS);
        return Math.max(0, r.lastFailureMillis + delay - now);
    }

    private static boolean faded(Record r, long now) {
        return now - r.lastFailureMillis >= FORGET_AFTER_MILLIS;
    }

    private static String userKey(String username) {
        return "user:" + username.toLowerCase(Locale.ROOT);
    }

    /** IPv6 clients count per /64, as for sign-ups: one host can trivially use a whole /64. */
    static String addressKey(String address) {
        if (address.indexOf(':') >= 0) {
            try {
                // A literal: getByName parses it without any name lookup.
                return "addr:" + SignupLimiter.key(InetAddress.getByName(address));
            } catch (UnknownHostException e) {
                return "addr:" + address;
            }
        }
        return "addr:" + address;
    }
}
