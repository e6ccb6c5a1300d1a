package simplebt.swarm;

/**
 * Bytes per second over the last {@value #WINDOW_SECONDS} seconds, fed once a second: what the
 * choker ranks peers by. BEP 3 practice (the original client) is a rolling 20 s average; our
 * display rate ({@link Rates}) reacts in about 2 s, which let a peer's last burst outrank a
 * steady sender and a short pause cost a steady sender its slot.
 *
 * <p>Not thread-safe: the session's ticker feeds it and the choker (same thread) reads it.
 */
final class RollingRate {
    static final int WINDOW_SECONDS = 20;
    /** "Lately", for {@link #sentLately()}: one choke round. */
    static final int LATELY_SECONDS = Choker.ROUND_SECONDS;

    private final long[] perSecond = new long[WINDOW_SECONDS];
    private int next;
    private int seconds;

    /** The bytes of the second that just ended. */
    void add(long bytes) {
        perSecond[next] = bytes;
        next = (next + 1) % WINDOW_SECONDS;
        seconds = Math.min(WINDOW_SECONDS, seconds + 1);
    }

    /** Average over the window, or over the seconds seen so far for a young connection. */
    double rate() {
        if (seconds == 0) {
            return 0;
        }
        long sum = 0;
        for (int i = 1; i <= seconds; i++) {
            sum += perSecond[Math.floorMod(next - i, WINDOW_SECONDS)];
        }
        return (double) sum / seconds;
    }

    /** Any byte in the last {@value #LATELY_SECONDS} seconds. */
    boolean sentLately() {
        for (int i = 1; i <= Math.min(seconds, LATELY_SECONDS); i++) {
            if (perSecond[Math.floorMod(next - i, WINDOW_SECONDS)] > 0) {
                return true;
            }
        }
        return false;
    }
}
