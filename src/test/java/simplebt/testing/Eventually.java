package simplebt.testing;

import java.time.Duration;

/**
 * Waits for a condition instead of sleeping a fixed time: a test goes on the moment what it
 * waits for is true (fast on a quiet machine) and still passes on a loaded one (up to the
 * timeout). Not for sleeps that are the point of a test, such as letting a time-out expire or
 * watching that something does not happen.
 */
public final class Eventually {
    /** How often the condition is looked at: short against a test's timeouts, long enough to stay cheap. */
    private static final long POLL_MILLIS = 20;

    /**
     * A condition to wait for. It may read something that can fail (a file, a process's output,
     * an HTTP reply): {@code E} is what it throws, and a throw ends the wait with it. A condition
     * that throws nothing makes {@code E} a RuntimeException, so its caller declares nothing more
     * than the wait's own InterruptedException.
     */
    @FunctionalInterface
    public interface Condition<E extends Exception> {
        boolean holds() throws E, InterruptedException;
    }

    private Eventually() {
    }

    /** True as soon as {@code condition} holds; false if it still does not after {@code timeout}. */
    public static <E extends Exception> boolean within(Duration timeout, Condition<E> condition) throws InterruptedException, E {
        return within(timeout, Duration.ofMillis(POLL_MILLIS), condition);
    }

    /**
     * As {@link #within(Duration, Condition)}, looking every {@code every}: for a condition that
     * costs a process start, a network round trip or a step of the program under test, which
     * back-to-back checks would slow down (or, for a DHT node, rate limit).
     */
    public static <E extends Exception> boolean within(Duration timeout, Duration every, Condition<E> condition)
            throws InterruptedException, E {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(every);
        }
        return true;
    }
}
