package simplebt.mse;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.metainfo.InfoHash;

/**
 * Which peers did not take an MSE handshake, per (torrent, address), so that reconnecting to a
 * client that does not speak MSE goes plain at once instead of paying a failed attempt each time.
 * Only "sent no key back" counts: a peer that answered with its key but then dropped the
 * connection speaks MSE (it may not have had the torrent, or was full) and is tried with MSE again.
 * Forgotten after {@code refusedFor} (the client may be reconfigured) or when MSE works. Bounded,
 * oldest first: addresses come from trackers and peers. {@code lock} guards {@code refused}; it is
 * never held during I/O (there is none here).
 */
public final class MseMemory {
    public enum Plan {
        /** Try MSE; if the peer closes or fails during it, reconnect plain once. */
        MSE_THEN_PLAIN,
        /** Plain BitTorrent: the peer did not answer MSE recently. */
        PLAIN
    }

    private record Key(InfoHash torrent, InetSocketAddress peer) {
    }

    private final InstantSource clock;
    private final Duration refusedFor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, Instant> refused;

    public MseMemory() {
        this(Clock.systemUTC(), Duration.ofHours(1), 10_000);
    }

    public MseMemory(InstantSource clock, Duration refusedFor, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.clock = clock;
        this.refusedFor = refusedFor;
        this.refused = new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Instant> eldest) {
                return size() > capacity;
            }
        };
    }

    public Plan plan(InfoHash torrent, InetSocketAddress peer) {
        Key key = new Key(torrent, peer);
        lock.lock();
        try {
            Instant since = refused.get(key);
            if (since == null) {
                return Plan.MSE_THEN_PLAIN;
            }
            if (!clock.instant().isBefore(since.plus(refusedFor))) {
                refused.remove(key);
                return Plan.MSE_THEN_PLAIN;
            }
            return Plan.PLAIN;
        } finally {
            lock.unlock();
        }
    }

    /** The peer sent no key back: it does not speak MSE. */
    public void refused(InfoHash torrent, InetSocketAddress peer) {
        Key key = new Key(torrent, peer);
        lock.lock();
        try {
            refused.remove(key); // re-insert so the newest answer is evicted last
            refused.put(key, clock.instant());
        } finally {
            lock.unlock();
        }
    }

    public void worked(InfoHash torrent, InetSocketAddress peer) {
        lock.lock();
        try {
            refused.remove(new Key(torrent, peer));
        } finally {
            lock.unlock();
        }
    }
}
