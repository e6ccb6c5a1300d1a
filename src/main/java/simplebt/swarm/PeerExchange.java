package simplebt.swarm;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import simplebt.wire.PexMessage;

/**
 * One connection's BEP 11 peer exchange: what we told this peer so far (so each message carries
 * only what changed), at most one message a minute each way, bounded counts. Threads: the
 * reader thread calls {@link #peerOffers} and {@link #received}; the session's ticker calls
 * {@link #nextMessage}. The fields each side shares are volatile; the rest belongs to one side.
 */
final class PeerExchange {
    /** Our id for ut_pex in the extension handshake's m dictionary. */
    static final int EXTENSION_ID = 2;
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** A peer sending faster than this (a little slack on its minute) is ignored until it slows down. */
    static final long MIN_RECEIVE_GAP_NANOS = TimeUnit.SECONDS.toNanos(45);
    static final int MAX_ADDED = 50;
    static final int MAX_DROPPED = 50;
    /** Of one received message, this many addresses at most reach the dialer. */
    static final int MAX_TAKEN = 100;

    private volatile int peerId;
    private volatile Optional<Integer> theirPort = Optional.empty();
    // ticker thread only
    private final Set<InetSocketAddress> told = new HashSet<>();
    private long lastSentNanos;
    private boolean sentOnce;
    // reader thread only
    private long lastReceivedNanos;
    private boolean receivedOnce;

    /** From its extension handshake: its id for ut_pex (0: none) and listen port. */
    void peerOffers(int id, Optional<Integer> port, long now) {
        theirPort = port;
        peerId = id;
    }

    int peerId() {
        return peerId;
    }

    Optional<Integer> theirPort() {
        return theirPort;
    }

    /** The addresses to try from a message; empty if it came too soon after the last one. */
    List<InetSocketAddress> received(PexMessage m, long now) {
        if (receivedOnce && now - lastReceivedNanos < MIN_RECEIVE_GAP_NANOS) {
            return List.of();
        }
        receivedOnce = true;
        lastReceivedNanos = now;
        List<InetSocketAddress> out = new ArrayList<>(m.added());
        out.addAll(m.added6());
        return out.size() > MAX_TAKEN ? List.copyOf(out.subList(0, MAX_TAKEN)) : out;
    }

    /**
     * @param current our connected peers' reachable addresses with their {@code added.f} flags
     * @param self    this peer's own address (never sent back to it), or null
     * @return the message to send now, if one is due and says something
     */
    Optional<PexMessage> nextMessage(Map<InetSocketAddress, Integer> current, InetSocketAddress self, long now) {
        if (peerId == 0 || sentOnce && now - lastSentNanos < INTERVAL_NANOS) {
            return Optional.empty();
        }
        List<InetSocketAddress> added = new ArrayList<>();
        List<InetSocketAddress> added6 = new ArrayList<>();
        List<Byte> flags = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Integer> e : current.entrySet()) {
            InetSocketAddress a = e.getKey();
            if (added.size() + added6.size() >= MAX_ADDED) {
                break;
            }
            if (a.equals(self) || told.contains(a) || a.isUnresolved()) {
                continue;
            }
            if (PexMessage.isIpv4(a)) {
                added.add(a);
                flags.add((byte) (int) e.getValue());
            } else {
                added6.add(a);
            }
        }
        List<InetSocketAddress> dropped = new ArrayList<>();
        for (Iterator<InetSocketAddress> it = told.iterator(); it.hasNext() && dropped.size() < MAX_DROPPED; ) {
            InetSocketAddress a = it.next();
            if (!current.containsKey(a)) {
                it.remove();
                if (PexMessage.isIpv4(a)) {
                    dropped.add(a); // a dropped IPv6 peer is only forgotten: dropped6 is rarely read
                }
            }
        }
        if (added.isEmpty() && added6.isEmpty() && dropped.isEmpty()) {
            return Optional.empty(); // nothing to say: the minute starts with the first message that says something
        }
        told.addAll(added);
        told.addAll(added6);
        sentOnce = true;
        lastSentNanos = now;
        byte[] f = new byte[flags.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = flags.get(i);
        }
        return Optional.of(new PexMessage(added, f, added6, dropped));
    }
}
