package simplebt.tracker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * The peers of one torrent. Peers sit in a list (random sampling in O(numwant)) and a map by
 * peer id (O(1) lookup); removal swaps the last peer into the hole. The seeder count is kept
 * alongside so complete/incomplete are exact at every moment. Only an entry's owner may change
 * or stop it ({@link Peer#mayBeChangedBy}); one owner holds at most {@code maxPerOwner}
 * entries here, and every entry is counted in the tracker-wide {@link PeerQuota}.
 *
 * <p>Threads: every field below is guarded by {@code lock}; the lock order is swarm lock, then
 * the quota's map (which takes no lock of its own).
 */
final class TrackedSwarm {
    private final ReentrantLock lock = new ReentrantLock();
    private final int maxPeers;
    private final int maxPerOwner;
    private final PeerQuota quota;
    private final ArrayList<Peer> peers = new ArrayList<>();
    /** Peers are their own keys (equal by peer id); look up with a probe made from the id. */
    private final HashMap<Peer, Peer> byId = new HashMap<>();
    /** Entries per owner id in this swarm. */
    private final HashMap<Long, Integer> perOwner = new HashMap<>();
    private int seeders;
    /** Completed count for torrents the registry does not track (open mode); lost when retired. */
    private long completed;
    private long lastSweepMillis;
    /** Set once the swarm left {@link Swarms}' map; an announce that raced with that retries. */
    private boolean retired;

    TrackedSwarm(int maxPeers, int maxPerOwner, PeerQuota quota) {
        this.maxPeers = maxPeers;
        this.maxPerOwner = maxPerOwner;
        this.quota = quota;
    }

    /** What an announce changed and what to answer. */
    record Outcome(int complete, int incomplete, List<PeerEntry> peers, boolean newlyCompleted) {
    }

    record Counts(int complete, int incomplete, long completed) {
    }

    /**
     * Applies one announce by {@code owner}, after dropping peers not seen since {@code cutoff}
     * when the last sweep is {@code period} old (under the same lock, so an announce takes the
     * swarm's lock once); null if this swarm was retired meanwhile (the caller retries). A
     * {@code stopped} for an entry someone else owns changes nothing; any other announce for
     * it is refused.
     */
    Outcome announce(AnnounceRequest r, PeerOwner owner, long now, long cutoff, long period, RandomGenerator random)
            throws BadRequest {
        lock.lock();
        try {
            if (retired) {
                return null;
            }
            if (now - lastSweepMillis >= period) {
                expire(cutoff, now);
            }
            Peer probe = new Peer(PeerId.of(r.peerId()));
            Peer peer = byId.get(probe);
            if (peer != null && !peer.mayBeChangedBy(owner, r.key(), r.ip())) {
                if (r.event() == Event.STOPPED) {
                    return new Outcome(seeders, peers.size() - seeders, List.of(), false);
                }
                throw new BadRequest("this peer id is in use by another client; restart with a new one");
            }
            if (r.event() == Event.STOPPED) {
                if (peer != null) {
                    remove(peer);
                }
                return new Outcome(seeders, peers.size() - seeders, List.of(), false);
            }
            if (peer == null) {
                peer = add(probe, owner, r.key());
            }
            peer.setAddress(r.ip(), r.port());
            peer.lastSeenMillis = now;
            boolean newlyCompleted = r.event() == Event.COMPLETED && !peer.completed;
            if (newlyCompleted) {
                peer.completed = true;
            }
            boolean seeder = r.left() == 0 || r.event() == Event.COMPLETED;
            if (seeder != peer.seeder) {
                seeders += seeder ? 1 : -1;
                peer.seeder = seeder;
            }
            return new Outcome(seeders, peers.size() - seeders, sample(peer, r.numwant(), random), newlyCompleted);
        } finally {
            lock.unlock();
        }
    }

    private Peer add(Peer peer, PeerOwner owner, long key) throws BadRequest {
        if (peers.size() >= maxPeers) {
            throw new BadRequest("this swarm is full (" + maxPeers + " peers); try again later");
        }
        if (perOwner.getOrDefault(owner.id(), 0) >= maxPerOwner) {
            throw new BadRequest("you have " + maxPerOwner + " peers in this swarm already ("
                    + (owner.account() ? "this passkey" : "this address") + "); stop one first");
        }
        String refused = quota.tryTake(owner);
        if (refused != null) {
            throw new BadRequest(refused);
        }
        perOwner.merge(owner.id(), 1, Integer::sum);
        peer.own(owner, key);
        peer.index = peers.size();
        peers.add(peer);
        byId.put(peer, peer);
        return peer;
    }

    /** One more completed download, for torrents the registry does not track. */
    void addCompleted() {
        lock.lock();
        try {
            completed++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Up to {@code numwant} peers other than the requester, starting at a random place.
     * A seeder gets only leechers: other seeders have nothing for it.
     */
    private List<PeerEntry> sample(Peer self, int numwant, RandomGenerator random) {
        int n = peers.size();
        if (numwant <= 0 || n <= 1) {
            return List.of();
        }
        List<PeerEntry> out = new ArrayList<>(Math.min(numwant, n - 1));
        int start = random.nextInt(n);
        for (int i = 0; i < n && out.size() < numwant; i++) {
            Peer p = peers.get((start + i) % n);
            if (p != self && !(self.seeder && p.seeder)) {
                out.add(p.entry());
            }
        }
        return out;
    }

    private void remove(Peer peer) {
        byId.remove(peer);
        PeerOwner owner = peer.owner();
        perOwner.computeIfPresent(owner.id(), (k, n) -> n <= 1 ? null : n - 1);
        quota.release(owner);
        Peer last = peers.remove(peers.size() - 1);
        if (last != peer) {
            peers.set(peer.index, last);
            last.index = peer.index;
        }
        if (peer.seeder) {
            seeders--;
        }
    }

    /** Drops peers not seen since {@code cutoff}; returns how many went. */
    int expire(long cutoff, long now) {
        lock.lock();
        try {
            lastSweepMillis = now;
            int removed = 0;
            for (int i = peers.size() - 1; i >= 0; i--) {
                Peer p = peers.get(i);
                if (p.lastSeenMillis < cutoff) {
                    remove(p);
                    removed++;
                }
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Expires peers when the last sweep is older than {@code period}; cheap otherwise. */
    void expireIfDue(long cutoff, long now, long period) {
        lock.lock();
        try {
            if (now - lastSweepMillis >= period) {
                expire(cutoff, now);
            }
        } finally {
            lock.unlock();
        }
    }

    Counts counts() {
        lock.lock();
        try {
            return new Counts(seeders, peers.size() - seeders, completed);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks a swarm without peers as retired; true if it was. Its open-mode completed count goes
     * with it: keeping every swarm that ever had a completion would let one announce per
     * made-up info hash pin memory for ever.
     */
    boolean retireIfIdle() {
        lock.lock();
        try {
            retired = peers.isEmpty();
            return retired;
        } finally {
            lock.unlock();
        }
    }
}
