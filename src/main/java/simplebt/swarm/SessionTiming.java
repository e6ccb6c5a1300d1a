package simplebt.swarm;

import java.time.Duration;

/**
 * The time limits a session works with. Only tests change them (to see a staller dropped in
 * seconds rather than minutes); users get {@link #DEFAULT}.
 *
 * @param requestTimeout  a peer holding requests that sends no block for this long is snubbed:
 *                        its requests go back to the picker and it gets one request at a time;
 *                        {@value RequestPipeline#MAX_TIMEOUTS} of these in a row and it is dropped
 * @param evictionGrace   a connection younger than this is never replaced by a newcomer, and one
 *                        that moved no block either way for this long counts as idle
 * @param handshakeTimeout a dialed peer must complete the BEP 3 handshake within this (the read
 *                        timeout alone, 180 s and restarted by every byte, let a silent or
 *                        dribbling peer hold a dial for minutes)
 */
record SessionTiming(Duration requestTimeout, Duration evictionGrace, Duration handshakeTimeout) {
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    static final SessionTiming DEFAULT = new SessionTiming(Duration.ofSeconds(30), Duration.ofSeconds(60));

    SessionTiming {
        if (requestTimeout.isNegative() || requestTimeout.isZero() || evictionGrace.isNegative()
                || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: " + requestTimeout + ", " + evictionGrace
                    + ", " + handshakeTimeout);
        }
    }

    SessionTiming(Duration requestTimeout, Duration evictionGrace) {
        this(requestTimeout, evictionGrace, DEFAULT_HANDSHAKE_TIMEOUT);
    }
}
