package simplebt.swarm;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Peers we know of and when to try each again. A failed dial waits 1, 2, 4 ... 30 s; peers
 * from the tracker are forgotten after a few failures, peers given with {@code --peer} never.
 */
final class Dialer {
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_FAILURES = 6;
    /**
     * Addresses kept at most. PEX (100 per message, and a peer can reconnect for a fresh
     * allowance) and the DHT feed this map; with the swarm at --max-peers nothing is dialed, so
     * nothing failed out of it either, and it grew for as long as peers kept talking.
     */
    static final int MAX_KNOWN = 2000;

    private static final class Known {
        final boolean persistent;
        long due;
        int failures;
        boolean dialing;

        Known(boolean persistent) {
            this.persistent = persistent;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock; in the order learnt, so a full map forgets its oldest first
    private final Map<InetSocketAddress, Known> known = new LinkedHashMap<>();
    private final Consumer<InetSocketAddress> dial;

    Dialer(Consumer<InetSocketAddress> dial) {
        this.dial = dial;
    }

    void add(InetSocketAddress address, boolean persistent) {
        if (learn(address, persistent)) {
            dialDue(a -> a.equals(address), 1);
        }
    }

    /**
     * Keeps the address for the ticker's {@link #dialDue}, which dials only into free room; no
     * dial now. False when there is no space for it.
     */
    boolean learn(InetSocketAddress address, boolean persistent) {
        lock.lock();
        try {
            Known k = known.get(address);
            if (k == null) {
                if (known.size() >= MAX_KNOWN && !persistent && !forgetOldest()) {
                    return false; // every one kept is --peer or being dialed: the newcomer waits for the next tracker reply
                }
                known.put(address, new Known(persistent));
            } else if (!k.dialing && k.failures > 0 && !persistent) {
                k.due = Math.min(k.due, System.nanoTime()); // the tracker vouches for it again
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the oldest address that is neither given with --peer nor being dialed; false if there is none. */
    private boolean forgetOldest() {
        for (Iterator<Known> it = known.values().iterator(); it.hasNext(); ) {
            Known k = it.next();
            if (!k.persistent && !k.dialing) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    /** How many addresses it keeps (their number is bounded: {@link #MAX_KNOWN}). */
    int size() {
        lock.lock();
        try {
            return known.size();
        } finally {
            lock.unlock();
        }
    }

    /** True while any dial, or the connection it made, is still running. */
    boolean anyDialing() {
        lock.lock();
        try {
            return known.values().stream().anyMatch(k -> k.dialing);
        } finally {
            lock.unlock();
        }
    }

    /** Starts dials for due peers that pass {@code ok}, at most {@code slots}. */
    void dialDue(Predicate<InetSocketAddress> ok, int slots) {
        Map<InetSocketAddress, Known> toDial = new HashMap<>();
        lock.lock();
        try {
            if (known.isEmpty()) {
                return; // an idle seed's tick, every second: nothing to dial, nothing to allocate
            }
            long now = System.nanoTime();
            for (Map.Entry<InetSocketAddress, Known> e : known.entrySet()) {
                Known k = e.getValue();
                if (toDial.size() >= slots) {
                    break;
                }
                if (!k.dialing && now - k.due >= 0 && ok.test(e.getKey())) {
                    k.dialing = true;
                    toDial.put(e.getKey(), k);
                }
            }
        } finally {
            lock.unlock();
        }
        toDial.keySet().forEach(dial);
    }

    /** A dial (and the connection, if it was made) ended. */
    void finished(InetSocketAddress address, boolean connected, boolean weAreComplete) {
        lock.lock();
        try {
            Known k = known.get(address);
            if (k == null) {
                return;
            }
            k.dialing = false;
            if (connected) {
                k.failures = 0;
                if (weAreComplete && !k.persistent) {
                    known.remove(address); // nothing more to get from it; the tracker may list it again
                    return;
                }
                k.due = System.nanoTime() + TimeUnit.SECONDS.toNanos(weAreComplete ? 30 : 1);
                return;
            }
            k.failures++;
            if (!k.persistent && k.failures >= MAX_FAILURES) {
                known.remove(address);
                return;
            }
            long backoff = Math.min(MAX_BACKOFF_NANOS, TimeUnit.SECONDS.toNanos(1L << Math.min(5, k.failures - 1)));
            k.due = System.nanoTime() + backoff;
        } finally {
            lock.unlock();
        }
    }
}
