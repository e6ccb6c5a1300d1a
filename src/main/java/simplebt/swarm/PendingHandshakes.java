package simplebt.swarm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.log.Log;

/**
 * Incoming connections that have not finished their handshake (the plain 68 bytes, or the whole
 * secure greeting up to the BEP 3 handshake inside it). Each gets one deadline from the moment it
 * was accepted: whatever it sends, and however slowly, it is closed when the deadline passes. A
 * per-read timeout is not enough, since a peer that sends a byte just before each read times out
 * keeps a connection for hours. How many may be in progress at once is capped, overall and per
 * address; at a cap the oldest handshake in progress gives way to the newcomer.
 *
 * <p>Threads: the listener's accept thread calls {@link #admit}, handshake threads call
 * {@link #done}, and one reaper thread closes the overdue. {@code deadlines} and
 * {@code perAddress} are guarded by {@code lock}; no socket is closed while it is held.
 */
final class PendingHandshakes implements AutoCloseable {
    /**
     * @param deadline      how long an incoming connection may take for its whole handshake
     * @param max           handshakes in progress at once, from everyone
     * @param maxPerAddress handshakes in progress at once from one IP address
     */
    record Limits(Duration deadline, int max, int maxPerAddress) {
        /**
         * 10 s: our initiator gives up after 5 s, a standard client sends its 68 bytes at once.
         * 64 in progress cost 64 virtual threads and a few hundred bytes each.
         */
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 64, 8);

        Limits {
            if (deadline.isNegative() || deadline.isZero() || max < 1 || maxPerAddress < 1) {
                throw new IllegalArgumentException("bad handshake limits: " + deadline + ", " + max + ", " + maxPerAddress);
            }
        }
    }

    private static final long MAX_REAPER_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Limits limits;
    private final ReentrantLock lock = new ReentrantLock();
    /** Socket to its deadline; insertion order is deadline order, since every deadline is as long. */
    private final Map<Socket, Long> deadlines = new LinkedHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private final Thread reaper;
    private volatile boolean closed;

    PendingHandshakes(Limits limits, String name) {
        this.limits = limits;
        this.reaper = Thread.ofVirtual().name("handshake-reaper-" + name).start(this::reapLoop);
    }

    Limits limits() {
        return limits;
    }

    /**
     * Starts the clock for a new connection. At a cap, the oldest handshake in progress (from the
     * same address, for the per-address cap) is closed to make room: refusing newcomers instead
     * would let a flood of silent connections lock every honest peer out, while an honest
     * handshake takes a round trip, so a flood must outpace that to evict one.
     */
    void admit(Socket socket) {
        InetAddress ip = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
        Socket victim = null;
        lock.lock();
        try {
            if (closed) {
                victim = socket;
            } else {
                if (perAddress.getOrDefault(ip, 0) >= limits.maxPerAddress()) {
                    victim = oldest(ip);
                } else if (deadlines.size() >= limits.max()) {
                    victim = oldest(null);
                }
                if (victim != null) {
                    forget(victim);
                }
                deadlines.put(socket, System.nanoTime() + limits.deadline().toNanos());
                perAddress.merge(ip, 1, Integer::sum);
            }
        } finally {
            lock.unlock();
        }
        if (victim != null) {
            Log.debug("incoming connection from " + victim.getRemoteSocketAddress() + " closed: too many handshakes in progress"
                    + " (at most " + limits.max() + ", " + limits.maxPerAddress() + " per address)");
            closeQuietly(victim);
        }
    }

    /** Under the lock: the longest-waiting socket, from {@code ip} if given. */
    private Socket oldest(InetAddress ip) {
        for (Socket s : deadlines.keySet()) {
            if (ip == null || ip.equals(((InetSocketAddress) s.getRemoteSocketAddress()).getAddress())) {
                return s;
            }
        }
        throw new IllegalStateException("a cap is reached, so some handshake is in progress");
    }

    /** Under the lock: drops a socket from both maps, if it is there. */
    private void forget(Socket socket) {
        if (deadlines.remove(socket) != null) {
            InetAddress ip = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
            perAddress.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** The handshake ended (handed on, or failed); the socket is no longer ours to close. Idempotent. */
    void done(Socket socket) {
        lock.lock();
        try {
            forget(socket);
        } finally {
            lock.unlock();
        }
    }

    private void reapLoop() {
        while (!closed) {
            long now = System.nanoTime();
            List<Socket> overdue = new ArrayList<>();
            long sleep = MAX_REAPER_SLEEP_NANOS;
            lock.lock();
            try {
                Iterator<Map.Entry<Socket, Long>> it = deadlines.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<Socket, Long> e = it.next();
                    long left = e.getValue() - now;
                    if (left > 0) {
                        sleep = Math.min(sleep, left);
                        break;
                    }
                    overdue.add(e.getKey());
                }
            } finally {
                lock.unlock();
            }
            for (Socket s : overdue) {
                Log.debug("incoming connection from " + s.getRemoteSocketAddress() + ": no complete handshake within "
                        + limits.deadline().toMillis() + " ms, closed");
                done(s);
                closeQuietly(s);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(1_000_000, sleep));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Closes every connection still in its handshake and stops the reaper. */
    @Override
    public void close() {
        List<Socket> pending;
        lock.lock();
        try {
            closed = true;
            pending = new ArrayList<>(deadlines.keySet());
            deadlines.clear();
            perAddress.clear();
        } finally {
            lock.unlock();
        }
        pending.forEach(PendingHandshakes::closeQuietly);
        reaper.interrupt();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already going away
        }
    }
}
