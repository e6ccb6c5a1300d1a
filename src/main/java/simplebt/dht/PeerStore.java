package simplebt.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Peers that announced themselves to us (announce_peer), bounded per info hash and in total so
 * that announces from many addresses cannot grow memory; entries expire after 30 minutes unless
 * re-announced. When full, the oldest entry of that info hash (or a new info hash) is refused.
 */
public final class PeerStore {
    public static final long TTL_MILLIS = 30 * 60_000L;

    private final int perHash;
    private final int total;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock: per info hash, address -> expiry, in order of (re)announce
    private final Map<NodeId, LinkedHashMap<InetSocketAddress, Long>> peers = new HashMap<>();
    private int size;

    public PeerStore(int perHash, int total, LongSupplier millisClock) {
        this.perHash = perHash;
        this.total = total;
        this.clock = millisClock;
    }

    public void add(NodeId infoHash, InetSocketAddress peer) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            expire(now);
            LinkedHashMap<InetSocketAddress, Long> set = peers.get(infoHash);
            if (set != null && set.remove(peer) != null) {
                size--;
            }
            if (set != null && set.size() >= perHash) {
                Iterator<InetSocketAddress> oldest = set.keySet().iterator();
                oldest.next();
                oldest.remove(); // a full swarm keeps its newest announcers
                size--;
            }
            if (size >= total) {
                return;
            }
            peers.computeIfAbsent(infoHash, k -> new LinkedHashMap<>()).put(peer, now + TTL_MILLIS);
            size++;
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code max} peers of the info hash, a random choice when there are more. */
    public List<InetSocketAddress> get(NodeId infoHash, int max, RandomGenerator random) {
        lock.lock();
        try {
            expire(clock.getAsLong());
            LinkedHashMap<InetSocketAddress, Long> set = peers.get(infoHash);
            if (set == null) {
                return List.of();
            }
            List<InetSocketAddress> all = new ArrayList<>(set.keySet());
            if (all.size() > max) {
                Collections.shuffle(all, random);
                return List.copyOf(all.subList(0, max));
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            expire(clock.getAsLong());
            return size;
        } finally {
            lock.unlock();
        }
    }

    private void expire(long now) {
        for (Iterator<LinkedHashMap<InetSocketAddress, Long>> sets = peers.values().iterator(); sets.hasNext(); ) {
            LinkedHashMap<InetSocketAddress, Long> set = sets.next();
            // insertion order is expiry order: stop at the first that lives
            for (Iterator<Long> e = set.values().iterator(); e.hasNext(); ) {
                if (e.next() > now) {
                    break;
                }
                e.remove();
                size--;
            }
            if (set.isEmpty()) {
                sets.remove();
            }
        }
    }
}
