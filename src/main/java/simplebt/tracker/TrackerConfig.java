package simplebt.tracker;

import java.nio.file.Path;

/**
 * How the tracker runs. {@code interval} is what clients are told to wait between announces;
 * a peer silent for about two intervals (plus slack for slow clients) expires.
 */
public record TrackerConfig(String host, int port, Path dataDir, boolean open, int intervalSeconds,
                     boolean acceptIp, boolean signupOpen, SignupRate signupRate, int passwordIterations,
                     PeerLimits peerLimits) {
    static final int DEFAULT_PORT = 8000;
    static final int DEFAULT_INTERVAL = 1800;

    public TrackerConfig {
        if (peerLimits == null) {
            throw new IllegalArgumentException("peerLimits is required");
        }
        if (signupRate == null) {
            throw new IllegalArgumentException("signupRate is required");
        }
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("interval must be at least 1 second");
        }
    }

    public static TrackerConfig defaults(Path dataDir) {
        return new TrackerConfig(null, DEFAULT_PORT, dataDir, false, DEFAULT_INTERVAL, false, true,
                SignupRate.DEFAULT, PasswordHasher.DEFAULT_ITERATIONS, PeerLimits.DEFAULT);
    }

    public TrackerConfig withPort(int p) {
        return new TrackerConfig(host, p, dataDir, open, intervalSeconds, acceptIp, signupOpen, signupRate,
                passwordIterations, peerLimits);
    }

    public TrackerConfig withOpen(boolean o) {
        return new TrackerConfig(host, port, dataDir, o, intervalSeconds, acceptIp, signupOpen, signupRate,
                passwordIterations, peerLimits);
    }

    public TrackerConfig withInterval(int seconds) {
        return new TrackerConfig(host, port, dataDir, open, seconds, acceptIp, signupOpen, signupRate,
                passwordIterations, peerLimits);
    }

    public TrackerConfig withHost(String h) {
        return new TrackerConfig(h, port, dataDir, open, intervalSeconds, acceptIp, signupOpen, signupRate,
                passwordIterations, peerLimits);
    }

    public TrackerConfig withSignupOpen(boolean s) {
        return new TrackerConfig(host, port, dataDir, open, intervalSeconds, acceptIp, s, signupRate,
                passwordIterations, peerLimits);
    }

    /** Sign-ups allowed per client address; tests that sign up many users from loopback raise it. */
    public TrackerConfig withSignupRate(SignupRate r) {
        return new TrackerConfig(host, port, dataDir, open, intervalSeconds, acceptIp, signupOpen, r,
                passwordIterations, peerLimits);
    }

    public TrackerConfig withPasswordIterations(int n) {
        return new TrackerConfig(host, port, dataDir, open, intervalSeconds, acceptIp, signupOpen, signupRate, n, peerLimits);
    }

    public TrackerConfig withAcceptIp(boolean a) {
        return new TrackerConfig(host, port, dataDir, open, intervalSeconds, a, signupOpen, signupRate,
                passwordIterations, peerLimits);
    }

    public TrackerConfig withPeerLimits(PeerLimits l) {
        return new TrackerConfig(host, port, dataDir, open, intervalSeconds, acceptIp, signupOpen, signupRate,
                passwordIterations, l);
    }

    /** BEP 3 leaves min interval to the tracker; a tenth of the interval, at most a minute. */
    int minIntervalSeconds() {
        return Math.max(1, Math.min(60, intervalSeconds / 10));
    }

    long expiryMillis() {
        long slack = Math.max(1, Math.min(300, intervalSeconds / 6));
        return (2L * intervalSeconds + slack) * 1000;
    }

    /** How often stale peers are swept out (and how stale the counts may be). */
    long sweepPeriodMillis() {
        return Math.max(1000, expiryMillis() / 64);
    }
}
