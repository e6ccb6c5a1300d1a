package simplebt.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition instead of sleeping a fixed time: a test goes on the moment what it
 * waits for is true (fast on a quiet machine) and still passes on a loaded one (up to the
 * timeout). Not for sleeps that are the point of a test, such as letting a time-out expire or
 * watching that something does not happen.
 */
public final class Eventually {
    /** How often the condition is looked at: short against a test's timeouts, long enough to stay cheap. */
    private static final long POLL_MILLIS = 20;

    private Eventually() {
    }

    /** True as soon as {@code condition} holds; false if it still does not after {@code timeout}. */
    public static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
