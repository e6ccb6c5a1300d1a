package simplebt.swarm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.log.Log;

/**
 * The live connections of one torrent and who may join them: admission after the handshake
 * (no duplicates, no banned peers, the connection limit with {@link Eviction}), bans for
 * peers that sent bad data (by IP address and by peer id, for this torrent), and the addresses
 * that turned out to be ourselves.
 *
 * <p>{@code connections}, {@code selves}, {@code banned} and {@code bannedIds} are concurrent
 * sets and maps any thread reads; {@link #admission} makes the duplicate check, the limit check
 * and the insertion one step. It is never held across I/O, and nothing else is locked under it.
 */
final class PeerRegistry {
    private final byte[] ourPeerId;
    private final int maxPeers;
    private final long evictionGraceNanos;
    private final ReentrantLock admission = new ReentrantLock();
    private final Map<Integer, PeerConnection> connections = new ConcurrentHashMap<>();
    private final Set<InetSocketAddress> selves = ConcurrentHashMap.newKeySet();
    /** IP addresses of banned peers: an incoming peer's port is ephemeral, and its peer id its own choice. */
    private final Set<InetAddress> banned = ConcurrentHashMap.newKeySet();
    /** Peer ids (hex) of banned peers, so a liar cannot come back by connecting to us. */
    private final Set<String> bannedIds = ConcurrentHashMap.newKeySet();

    PeerRegistry(byte[] ourPeerId, int maxPeers, long evictionGraceNanos) {
        this.ourPeerId = ourPeerId.clone();
        this.maxPeers = maxPeers;
        this.evictionGraceNanos = evictionGraceNanos;
    }

    /**
     * Admits a connection after its handshake; refuses banned peer ids and duplicates (same peer
     * id, see {@link #keepsNewcomer}). At the connection limit a newcomer takes the place of a
     * useless peer ({@link Eviction}), which is closed; if every peer is worth keeping, the
     * newcomer is refused.
     */
    boolean admit(PeerConnection c) {
        if (c.remotePeerId().map(HashFailures::key).filter(bannedIds::contains).isPresent() || banned.contains(c.address())) {
            Log.debug("banned peer, dropping " + c.remote());
            return false;
        }
        PeerConnection evicted = null;
        admission.lock();
        try {
            for (PeerConnection other : connections.values()) {
                if (!other.samePeerAs(c)) {
                    continue;
                }
                if (!keepsNewcomer(other, c)) {
                    c.dialed().ifPresent(other::setListenAddress); // the peer we dialed is one that dialed us
                    Log.debug("already connected to that peer id, dropping " + c.remote());
                    return false;
                }
                other.dialed().ifPresent(c::setListenAddress);
                connections.remove(other.id());
                evicted = other;
                Log.debug("two connections with " + c.remote() + ", each side dialed: keeping the one dialed by the larger peer id");
                break;
            }
            if (evicted == null && connections.size() >= maxPeers) {
                evicted = worstPeer();
                if (evicted == null) {
                    Log.debug("too many peers (" + maxPeers + "), all of them useful; dropping " + c.remote());
                    return false;
                }
                connections.remove(evicted.id());
            }
            connections.put(c.id(), c);
        } finally {
            admission.unlock();
        }
        if (evicted != null) {
            Log.debug(evicted.remote() + " makes room for " + c.remote());
            evicted.close();
        }
        return true;
    }

    /**
     * Two connections to one peer. Made in the same direction, the first stays. Made in both
     * directions (both sides dialed at once), both sides must drop the same one, or each keeps a
     * different connection and closes the one the other kept: as libtorrent does, the one dialed
     * by the side with the larger peer id (compared as unsigned bytes) stays.
     */
    private boolean keepsNewcomer(PeerConnection existing, PeerConnection newcomer) {
        if (existing.outgoing() == newcomer.outgoing()) {
            return false;
        }
        byte[] theirs = newcomer.remotePeerId().orElseThrow();
        boolean oursIsLarger = Arrays.compareUnsigned(ourPeerId, theirs) > 0;
        return newcomer.outgoing() == oursIsLarger;
    }

    private PeerConnection worstPeer() {
        long now = System.nanoTime();
        List<Eviction.Candidate> all = connections.values().stream().map(PeerConnection::evictionCandidate).toList();
        return Eviction.victim(all, now, evictionGraceNanos).map(v -> connections.get(v.id())).orElse(null);
    }

    void remove(PeerConnection c) {
        connections.remove(c.id(), c);
    }

    List<PeerConnection> all() {
        return new ArrayList<>(connections.values());
    }

    Optional<PeerConnection> get(int id) {
        return Optional.ofNullable(connections.get(id));
    }

    int size() {
        return connections.size();
    }

    boolean connectedTo(InetSocketAddress address) {
        return connections.values().stream().anyMatch(c -> c.listenAddress().filter(address::equals).isPresent());
    }

    void markSelf(InetSocketAddress address) {
        selves.add(address);
    }

    boolean isSelfOrBanned(InetSocketAddress address) {
        return selves.contains(address) || banned.contains(address.getAddress());
    }

    /**
     * Banned for this torrent: never dialed again, refused if it connects to us; its connections
     * close. Returns false if it was banned already.
     */
    boolean ban(HashFailures.Sender s) {
        boolean fresh = banned.add(s.address());
        fresh |= bannedIds.add(s.key());
        for (PeerConnection c : connections.values()) {
            if (c.isSender(s)) {
                c.close();
            }
        }
        return fresh;
    }
}
