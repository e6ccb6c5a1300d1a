package simplebt.swarm;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which connection a newcomer may replace when the torrent is at its connection limit. Only a
 * peer past its grace period that is of no use counts: snubbed (it let our requests time out),
 * or no interest either way, or no block moved either way for the grace period. Of those, the
 * snubbed go first, then the mutually uninterested, then the longest idle. A peer that trades
 * with us is never replaced, so the limit keeps the better peers; a refused newcomer can try
 * again later, and one that gets in still has to earn its place in the choker.
 */
final class Eviction {
    private Eviction() {
    }

    /**
     * @param connectedNanos  when the connection was admitted
     * @param lastUsefulNanos when a block last moved either way (admission time if never)
     */
    record Candidate(int id, long connectedNanos, long lastUsefulNanos, boolean snubbed, boolean weAreInterested,
                     boolean peerInterested) {
        boolean uninterested() {
            return !weAreInterested && !peerInterested;
        }
    }

    static Optional<Candidate> victim(List<Candidate> peers, long now, long graceNanos) {
        Comparator<Candidate> worstFirst = Comparator.comparing(Candidate::snubbed).reversed()
                .thenComparing(Comparator.comparing(Candidate::uninterested).reversed())
                .thenComparingLong(Candidate::lastUsefulNanos)
                .thenComparingInt(Candidate::id);
        return peers.stream()
                .filter(c -> now - c.connectedNanos() >= graceNanos)
                .filter(c -> c.snubbed() || c.uninterested() || now - c.lastUsefulNanos() >= graceNanos)
                .min(worstFirst);
    }
}
