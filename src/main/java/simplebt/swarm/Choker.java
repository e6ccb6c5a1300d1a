package simplebt.swarm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Who we upload to (BEP 3 choking). Every round ({@value #ROUND_SECONDS} s), the
 * {@value #REGULAR_SLOTS} interested peers with the best rate get a regular slot: while
 * downloading, the rate they send to us (tit-for-tat); while seeding, the rate we send to them
 * (keeps the pipe full). One more slot goes to an optimistic pick, rotated every
 * {@value #OPTIMISTIC_ROUNDS} rounds, so peers without a rate yet get a chance to prove
 * themselves; as in the original client, a fresh peer (connected under {@value #FRESH_SECONDS} s
 * ago) is {@value #FRESH_WEIGHT} times as likely to be picked, since it has nothing to trade yet.
 */
final class Choker {
    static final int REGULAR_SLOTS = 4;
    static final int ROUND_SECONDS = 10;
    static final int OPTIMISTIC_ROUNDS = 3;
    static final int FRESH_SECONDS = 90;
    static final int FRESH_WEIGHT = 3;

    /** @param fresh connected less than {@value #FRESH_SECONDS} s ago */
    record Candidate(int id, boolean interested, double rateToUs, double rateFromUs, boolean fresh) {
    }

    private final RandomGenerator random;
    private int optimistic = -1;

    Choker(RandomGenerator random) {
        this.random = random;
    }

    /** @param rotate pick a new optimistic peer this round */
    Set<Integer> decide(List<Candidate> peers, boolean seeding, boolean rotate) {
        Comparator<Candidate> byRate = Comparator.comparingDouble(seeding ? Candidate::rateFromUs : Candidate::rateToUs);
        List<Candidate> interested = new ArrayList<>(peers.stream().filter(Candidate::interested).toList());
        interested.sort(byRate.reversed().thenComparingInt(Candidate::id));
        Set<Integer> unchoke = new HashSet<>();
        for (int i = 0; i < Math.min(REGULAR_SLOTS, interested.size()); i++) {
            unchoke.add(interested.get(i).id());
        }
        List<Candidate> rest = interested.stream().filter(c -> !unchoke.contains(c.id())).toList();
        boolean stillThere = rest.stream().anyMatch(c -> c.id() == optimistic);
        if ((rotate || !stillThere) && !rest.isEmpty()) {
            optimistic = weightedPick(rest);
        } else if (rest.isEmpty()) {
            optimistic = -1;
        }
        if (optimistic >= 0) {
            unchoke.add(optimistic);
        }
        return unchoke;
    }

    private int weightedPick(List<Candidate> rest) {
        int total = rest.stream().mapToInt(c -> c.fresh() ? FRESH_WEIGHT : 1).sum();
        int ticket = random.nextInt(total);
        for (Candidate c : rest) {
            ticket -= c.fresh() ? FRESH_WEIGHT : 1;
            if (ticket < 0) {
                return c.id();
            }
        }
        throw new IllegalStateException("unreachable: tickets add up to " + total);
    }

    /** A peer that just became interested gets a slot at once if one is free. */
    static boolean hasFreeSlot(int unchokedNow) {
        return unchokedNow < REGULAR_SLOTS + 1;
    }
}
