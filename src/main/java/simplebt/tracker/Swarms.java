package simplebt.tracker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import simplebt.metainfo.InfoHash;

/**
 * Every swarm by info hash, with expiry of peers that stopped announcing and retirement of
 * swarms left without peers. Bounded, so made-up announces cannot make the tracker hold
 * unlimited swarms or peers ({@link PeerLimits}: by default 1,000,000 peer entries in all, see
 * {@link PeerQuota}, 5,000 for one user or address, of which 8 in one swarm; 100,000 swarms).
 * A swarm lives only while it has peers (plus until the next sweep).
 */
final class Swarms {
    static final int DEFAULT_MAX_PEERS_PER_SWARM = 500_000;
    static final int DEFAULT_MAX_PER_OWNER_PER_SWARM = PeerLimits.DEFAULT.perTorrent();
    private final ConcurrentHashMap<InfoHash, TrackedSwarm> swarms = new ConcurrentHashMap<>();
    private final int maxSwarms;
    private final int maxPeersPerSwarm;
    private final int maxPerOwnerPerSwarm;
    private final PeerQuota quota;

    Swarms() {
        this(PeerLimits.DEFAULT);
    }

    Swarms(PeerLimits limits) {
        this(limits.swarms(), DEFAULT_MAX_PEERS_PER_SWARM, limits.perTorrent(),
                new PeerQuota(limits.perOwner(), limits.total()));
    }

    Swarms(int maxSwarms, int maxPeersPerSwarm, int maxPerOwnerPerSwarm, PeerQuota quota) {
        this.maxSwarms = maxSwarms;
        this.maxPeersPerSwarm = maxPeersPerSwarm;
        this.maxPerOwnerPerSwarm = maxPerOwnerPerSwarm;
        this.quota = quota;
    }

    /** One announce; the swarm first expires peers not seen since {@code cutoff} if its last sweep is {@code period} old. */
    TrackedSwarm.Outcome announce(InfoHash hash, AnnounceRequest r, PeerOwner owner, long now, long cutoff, long period,
                                  RandomGenerator random) throws BadRequest {
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
            TrackedSwarm.Outcome outcome = swarm.announce(r, owner, now, cutoff, period, random);
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
