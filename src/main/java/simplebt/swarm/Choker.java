package simplebt.swarm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Who we upload to (BEP 3 choking). Every round ({@value #ROUND_SECONDS} s), up to
 * {@value #REGULAR_SLOTS} interested peers with the best rate over the last
 * {@value RollingRate#WINDOW_SECONDS} s get a regular slot: while downloading, the rate they send
 * to us (tit-for-tat), and only peers that sent us something in the last round qualify, so a peer
 * that stopped sending does not keep its slot on its past; while seeding, the rate we send to
 * them (keeps the pipe full). One more slot goes to an optimistic pick, rotated every
 * {@value #OPTIMISTIC_ROUNDS} rounds, so peers without a rate yet get a chance to prove
 * themselves; regular slots nobody qualifies for are optimistic picks too, so our upload does
 * not shrink while few peers send to us. As in the original client, a fresh peer (connected
 * under {@value #FRESH_SECONDS} s ago) is {@value #FRESH_WEIGHT} times as likely to be picked,
 * since it has nothing to trade yet.
 *
 * <p>Not thread-safe: the session's ticker calls it under the swarm's choke lock.
 */
final class Choker {
    static final int REGULAR_SLOTS = 4;
    static final int ROUND_SECONDS = 10;
    static final int OPTIMISTIC_ROUNDS = 3;
    static final int FRESH_SECONDS = 90;
    static final int FRESH_WEIGHT = 3;

    /**
     * @param rateToUs   bytes/s the peer sent us over the rolling window
     * @param rateFromUs bytes/s we sent it over the rolling window
     * @param fresh      connected less than {@value #FRESH_SECONDS} s ago
     * @param sentLately it sent us a byte in the last round
     */
    record Candidate(int id, boolean interested, double rateToUs, double rateFromUs, boolean fresh, boolean sentLately) {
    }

    private final RandomGenerator random;
    /** The optimistic picks, kept until the next rotation while they stay eligible. */
    private final List<Integer> optimistic = new ArrayList<>();

    Choker(RandomGenerator random) {
        this.random = random;
    }

    /** @param rotate pick new optimistic peers this round; the set iterates best first (regular slots by rank, then optimistic) */
    Set<Integer> decide(List<Candidate> peers, boolean seeding, boolean rotate) {
        Comparator<Candidate> byRate = Comparator.comparingDouble(seeding ? Candidate::rateFromUs : Candidate::rateToUs);
        List<Candidate> interested = peers.stream().filter(Candidate::interested).toList();
        List<Candidate> ranked = new ArrayList<>(interested.stream().filter(c -> seeding || c.sentLately()).toList());
        ranked.sort(byRate.reversed().thenComparingInt(Candidate::id));
        Set<Integer> unchoke = new LinkedHashSet<>();
        for (int i = 0; i < Math.min(REGULAR_SLOTS, ranked.size()); i++) {
            unchoke.add(ranked.get(i).id());
        }
        List<Candidate> rest = new ArrayList<>(interested.stream().filter(c -> !unchoke.contains(c.id())).toList());
        int picks = Math.min(rest.size(), 1 + REGULAR_SLOTS - unchoke.size());
        if (rotate) {
            optimistic.clear();
        }
        optimistic.removeIf(id -> rest.stream().noneMatch(c -> c.id() == id));
        while (optimistic.size() > picks) {
            optimistic.remove(optimistic.size() - 1);
        }
        rest.removeIf(c -> optimistic.contains(c.id()));
        while (optimistic.size() < picks) {
            Candidate pick = weightedPick(rest);
            optimistic.add(pick.id());
            rest.remove(pick);
        }
        unchoke.addAll(optimistic);
        return unchoke;
    }

    private Candidate weightedPick(List<Candidate> rest) {
        int total = rest.stream().mapToInt(c -> c.fresh() ? FRESH_WEIGHT : 1).sum();
        int ticket = random.nextInt(total);
        for (Candidate c : rest) {
            ticket -= c.fresh() ? FRESH_WEIGHT : 1;
            if (ticket < 0) {
                return c;
            }
        }
        throw new IllegalStateException("unreachable: tickets add up to " + total);
    }

    /** A peer that just became interested gets a slot at once if one is free. */
    static boolean hasFreeSlot(int unchokedNow) {
        return unchokedNow < REGULAR_SLOTS + 1;
    }
}
