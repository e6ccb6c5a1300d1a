package simplebt.tracker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import simplebt.metainfo.InfoHash;

/** Every swarm by info hash, with expiry of peers that stopped announcing. */
final class Swarms {
    private final ConcurrentHashMap<InfoHash, Swarm> swarms = new ConcurrentHashMap<>();

    Swarm.Outcome announce(InfoHash hash, AnnounceRequest r, long now, RandomGenerator random) {
        while (true) {
            Swarm.Outcome outcome = swarms.computeIfAbsent(hash, h -> new Swarm()).announce(r, now, random);
            if (outcome != null) {
                return outcome;
            }
        }
    }

    /** Counts for one torrent; zeros when nobody announced it. */
    Swarm.Counts counts(InfoHash hash) {
        Swarm s = swarms.get(hash);
        return s == null ? new Swarm.Counts(0, 0, 0) : s.counts();
    }

    boolean contains(InfoHash hash) {
        return swarms.containsKey(hash);
    }

    /** Lazy expiry for one swarm, so counts read right after are exact. */
    void expireIfDue(InfoHash hash, long cutoff, long now, long period) {
        Swarm s = swarms.get(hash);
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
        for (Swarm s : swarms.values()) {
            Swarm.Counts c = s.counts();
            seeders += c.complete();
            leechers += c.incomplete();
        }
        return new long[] {seeders, leechers};
    }
}
