package simplebt.secure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import simplebt.metainfo.InfoHash;

/**
 * What the node learned about peers' security, per torrent, so that {@code preferred} mode does
 * not pay the secure attempt's timeout on every reconnect to a standard client, and a peer that
 * failed authentication is never trusted again for that torrent (issue 7).
 *
 * <ul>
 * <li>"plain": the peer at this address did not answer our prefix. Forgotten after a while
 * (it may restart as one of our nodes).</li>
 * <li>"untrusted": a handshake or record failed authentication with the peer at this IP, on
 * any port (an incoming connection comes from an ephemeral port). Kept until evicted.</li>
 * </ul>
 * Both maps are bounded (oldest entries go first): peer addresses come from untrusted trackers
 * and peers. Safe for many connection threads; no lock is held during I/O (there is none).
 */
public final class PeerSecurityMemory {
    /** How to connect out to a peer. */
    public enum Plan {
        /** Try secure; on {@link SecureChannelException.Kind#NO_ANSWER}, reconnect plain. */
        SECURE_THEN_PLAIN,
        /** Secure only (required mode). */
        SECURE_ONLY,
        /** Plain BitTorrent (mode off, or the peer is known to be plain). */
        PLAIN,
        /** Do not connect: the peer is untrusted, or plain while we require secure. */
        SKIP
    }

    private record PlainKey(InfoHash torrent, InetSocketAddress peer) {
    }

    private record TrustKey(InfoHash torrent, InetAddress ip) {
    }

    private final Clock clock;
    private final Duration plainFor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<PlainKey, Instant> plain;
    private final Map<TrustKey, Instant> untrusted;

    public PeerSecurityMemory() {
        this(Clock.systemUTC(), Duration.ofHours(1), 10_000);
    }

    public PeerSecurityMemory(Clock clock, Duration plainFor, int capacity) {
        this.clock = clock;
        this.plainFor = plainFor;
        this.plain = bounded(capacity);
        this.untrusted = bounded(capacity);
    }

    public Plan plan(InfoHash torrent, InetSocketAddress peer, EncryptionMode mode) {
        lock.lock();
        try {
            if (untrusted.containsKey(new TrustKey(torrent, peer.getAddress()))) {
                return Plan.SKIP;
            }
            boolean knownPlain = isPlain(new PlainKey(torrent, peer));
            return switch (mode) {
                case OFF -> Plan.PLAIN;
                case PREFERRED -> knownPlain ? Plan.PLAIN : Plan.SECURE_THEN_PLAIN;
                case REQUIRED -> knownPlain ? Plan.SKIP : Plan.SECURE_ONLY;
            };
        } finally {
            lock.unlock();
        }
    }

    /** May an incoming connection from this IP be served for this torrent? */
    public boolean trusted(InfoHash torrent, InetAddress ip) {
        lock.lock();
        try {
            return !untrusted.containsKey(new TrustKey(torrent, ip));
        } finally {
            lock.unlock();
        }
    }

    /** Feeds back how a secure attempt (or a secure connection, later) failed. */
    public void secureFailed(InfoHash torrent, InetSocketAddress peer, SecureChannelException failure) {
        if (failure.peerUntrusted()) {
            markUntrusted(torrent, peer.getAddress());
        } else if (failure.kind() == SecureChannelException.Kind.NO_ANSWER) {
            markPlain(torrent, peer);
        }
    }

    public void secureWorked(InfoHash torrent, InetSocketAddress peer) {
        lock.lock();
        try {
            plain.remove(new PlainKey(torrent, peer));
        } finally {
            lock.unlock();
        }
    }

    public void markPlain(InfoHash torrent, InetSocketAddress peer) {
        lock.lock();
        try {
            PlainKey key = new PlainKey(torrent, peer);
            plain.remove(key); // re-insert so the newest answer is evicted last
            plain.put(key, clock.instant());
        } finally {
            lock.unlock();
        }
    }

    public void markUntrusted(InfoHash torrent, InetAddress ip) {
        lock.lock();
        try {
            untrusted.putIfAbsent(new TrustKey(torrent, ip), clock.instant());
        } finally {
            lock.unlock();
        }
    }

    private boolean isPlain(PlainKey key) {
        Instant since = plain.get(key);
        if (since == null) {
            return false;
        }
        if (!clock.instant().isBefore(since.plus(plainFor))) {
            plain.remove(key);
            return false;
        }
        return true;
    }

    private static <K> Map<K, Instant> bounded(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        return new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Instant> eldest) {
                return size() > capacity;
            }
        };
    }
}
