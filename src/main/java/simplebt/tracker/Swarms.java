package simplebt.tracker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import simplebt.metainfo.InfoHash;

/**
 * Every swarm by info hash, with expiry of peers that stopped announcing and retirement of
 * swarms left without peers. Bounded, so made-up announces cannot make the tracker hold
 * unlimited swarms or peers: at most {@link #DEFAULT_MAX_PEERS} peer entries in all (see
 * {@link PeerQuota}), {@link #DEFAULT_MAX_PER_OWNER} for one user or address, of which
 * {@link #DEFAULT_MAX_PER_OWNER_PER_SWARM} in one swarm. A swarm lives only while it has peers
 * (plus until the next sweep), so swarms are bounded by peers too.
 */
final class Swarms {
    /** Plenty for a private tracker's uploads; bounds what made-up info hashes can cost (~0.5 KiB each). */
    static final int DEFAULT_MAX_SWARMS = 100_000;
    static final int DEFAULT_MAX_PEERS_PER_SWARM = 500_000;
    static final int DEFAULT_MAX_PEERS = 1_000_000;
    /** A seedbox with thousands of torrents fits; a script making up swarms stops here. */
    static final int DEFAULT_MAX_PER_OWNER = 5_000;
    /** A user with a few clients, or a household behind one address, on one torrent. */
    static final int DEFAULT_MAX_PER_OWNER_PER_SWARM = 8;
    private final ConcurrentHashMap<InfoHash, TrackedSwarm> swarms = new ConcurrentHashMap<>();
    private final int maxSwarms;
    private final int maxPeersPerSwarm;
    private final int maxPerOwnerPerSwarm;
    private final PeerQuota quota;

    Swarms() {
        this(DEFAULT_MAX_SWARMS, DEFAULT_MAX_PEERS_PER_SWARM, DEFAULT_MAX_PER_OWNER_PER_SWARM,
                new PeerQuota(DEFAULT_MAX_PER_OWNER, DEFAULT_MAX_PEERS));
    }

    Swarms(int maxSwarms, int maxPeersPerSwarm, int maxPerOwnerPerSwarm, PeerQuota quota) {
        this.maxSwarms = maxSwarms;
        this.maxPeersPerSwarm = maxPeersPerSwarm;
        this.maxPerOwnerPerSwarm = maxPerOwnerPerSwarm;
        this.quota = quota;
    }

    TrackedSwarm.Outcome announce(InfoHash hash, AnnounceRequest r, PeerOwner owner, long now, RandomGenerator random)
            throws BadRequest {
        while (true) {
            TrackedSwarm swarm = swarms.get(hash);
            if (swarm == null) {
                if (r.event() == Event.STOPPED) {
                    return new TrackedSwarm.Outcome(0, 0, java.util.List.of(), false); // nothing to stop
                }
                if (swarms.size() >= maxSwarms) {
                    throw new BadRequest("the tracker is tracking as many torrents as it can; try again later");
                }
                swarm = swarms.computeIfAbsent(hash, h -> new TrackedSwarm(maxPeersPerSwarm, maxPerOwnerPerSwarm, quota));
            }
            TrackedSwarm.Outcome outcome = swarm.announce(r, owner, now, random);
            if (outcome != null) {
                return outcome;
            }
        }
    }

    /** One more completed download of a torrent the registry does not track. */
    void addCompleted(InfoHash hash) {
        TrackedSwarm s = swarms.get(hash);
        if (s != null) {
            s.addCompleted();
        }
    }

    int swarmCount() {
        return swarms.size();
    }

    int peerCount() {
        return quota.used();
    }

    /** Counts for one torrent; zeros when nobody announced it. */
    TrackedSwarm.Counts counts(InfoHash hash) {
        TrackedSwarm s = swarms.get(hash);
        return s == null ? new TrackedSwarm.Counts(0, 0, 0) : s.counts();
    }

    boolean contains(InfoHash hash) {
        return swarms.containsKey(hash);
    }

    /** Lazy expiry for one swarm, so counts read right after are exact. */
    void expireIfDue(InfoHash hash, long cutoff, long now, long period) {
        TrackedSwarm s = swarms.get(hash);
        if (s != null) {
            s.expireIfDue(cutoff, now, period);
        }
    }

    /** Expires stale peers everywhere and forgets swarms left with nothing; returns peers removed. */
    int expireAll(long cutoff, long now) {
        int removed = 0;
        for (var e : swarms.entrySet()) {
            removed += e.getValue().expire(cutoff, now);
            swarms.computeIfPresent(e.getKey(), (k, s) -> s.retireIfIdle() ? null : s);
        }
        return removed;
    }

    /** Totals over all swarms: seeders, leechers. */
    long[] totals() {
        long seeders = 0;
        long leechers = 0;
        for (TrackedSwarm s : swarms.values()) {
            TrackedSwarm.Counts c = s.counts();
            seeders += c.complete();
            leechers += c.incomplete();
        }
        return new long[] {seeders, leechers};
    }
}
