package simplebt.swarm;

/** Exponentially smoothed bytes per second, fed once a second. */
final class Rates {
    private static final double WEIGHT = 0.4;

    private Rates() {
    }

    static double update(double previous, long bytesLastSecond) {
        return previous * (1 - WEIGHT) + bytesLastSecond * WEIGHT;
    }
}
