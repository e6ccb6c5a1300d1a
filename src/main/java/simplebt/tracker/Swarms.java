package simplebt.tracker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import simplebt.metainfo.InfoHash;

/**
 * Every swarm by info hash, with expiry of peers that stopped announcing. Bounded, so an open
 * tracker cannot be made to hold unlimited swarms or peers by made-up announces.
 */
final class Swarms {
    static final int DEFAULT_MAX_SWARMS = 2_000_000;
    static final int DEFAULT_MAX_PEERS_PER_SWARM = 500_000;
    private final ConcurrentHashMap<InfoHash, TrackedSwarm> swarms = new ConcurrentHashMap<>();
    private final int maxSwarms;
    private final int maxPeersPerSwarm;

    Swarms() {
        this(DEFAULT_MAX_SWARMS, DEFAULT_MAX_PEERS_PER_SWARM);
    }

    Swarms(int maxSwarms, int maxPeersPerSwarm) {
        this.maxSwarms = maxSwarms;
        this.maxPeersPerSwarm = maxPeersPerSwarm;
    }

    TrackedSwarm.Outcome announce(InfoHash hash, AnnounceRequest r, long now, RandomGenerator random) throws BadRequest {
        while (true) {
            TrackedSwarm swarm = swarms.get(hash);
            if (swarm == null) {
                if (swarms.size() >= maxSwarms) {
                    throw new BadRequest("the tracker is tracking as many torrents as it can; try again later");
                }
                swarm = swarms.computeIfAbsent(hash, h -> new TrackedSwarm(maxPeersPerSwarm));
            }
            TrackedSwarm.Outcome outcome = swarm.announce(r, now, random);
            if (outcome != null) {
                return outcome;
            }
        }
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
