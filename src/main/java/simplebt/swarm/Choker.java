package simplebt.swarm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Who we upload to (BEP 3 choking). Every round, the {@value #REGULAR_SLOTS} interested peers
 * with the best rate get a regular slot: while downloading, the rate they send to us
 * (tit-for-tat); while seeding, the rate we send to them (keeps the pipe full). One more slot
 * goes to an optimistic pick that rotates, so newcomers get a chance to prove themselves.
 */
final class Choker {
    static final int REGULAR_SLOTS = 4;

    record Candidate(int id, boolean interested, double rateToUs, double rateFromUs) {
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
            optimistic = rest.get(random.nextInt(rest.size())).id();
        } else if (rest.isEmpty()) {
            optimistic = -1;
        }
        if (optimistic >= 0) {
            unchoke.add(optimistic);
        }
        return unchoke;
    }

    /** A peer that just became interested gets a slot at once if one is free. */
    static boolean hasFreeSlot(int unchokedNow) {
        return unchokedNow < REGULAR_SLOTS + 1;
    }
}
