package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ChokerTest {
    private static Choker.Candidate peer(int id, boolean interested, double toUs, double fromUs) {
        return new Choker.Candidate(id, interested, toUs, fromUs);
    }

    @Test
    void whileDownloadingUnchokesThoseWhoSendUsMostPlusOneOptimistic() {
        List<Choker.Candidate> peers = List.of(peer(1, true, 10, 0), peer(2, true, 50, 0), peer(3, true, 40, 0),
                peer(4, true, 30, 0), peer(5, true, 20, 0), peer(6, true, 0, 0), peer(7, false, 99, 0));
        Set<Integer> unchoked = new Choker(new Random(1)).decide(peers, false, true);
        assertThat(unchoked).contains(2, 3, 4, 5).doesNotContain(7).hasSize(5);
        assertThat(unchoked).containsAnyOf(1, 6); // the optimistic slot
    }

    @Test
    void whileSeedingRanksByWhatWeSendThem() {
        List<Choker.Candidate> peers = List.of(peer(1, true, 0, 1), peer(2, true, 0, 5), peer(3, true, 0, 4),
                peer(4, true, 0, 3), peer(5, true, 0, 2));
        assertThat(new Choker(new Random(1)).decide(peers, true, false)).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        List<Choker.Candidate> more = new java.util.ArrayList<>(peers);
        more.add(peer(6, true, 0, 0));
        more.add(peer(7, true, 0, 0));
        Set<Integer> unchoked = new Choker(new Random(1)).decide(more, true, false);
        assertThat(unchoked).contains(2, 3, 4, 5).hasSize(5);
    }

    @Test
    void optimisticSlotStaysUntilRotation() {
        Choker choker = new Choker(new Random(3));
        List<Choker.Candidate> peers = List.of(peer(1, true, 9, 0), peer(2, true, 8, 0), peer(3, true, 7, 0),
                peer(4, true, 6, 0), peer(5, true, 0, 0), peer(6, true, 0, 0), peer(7, true, 0, 0));
        Set<Integer> first = choker.decide(peers, false, true);
        assertThat(choker.decide(peers, false, false)).isEqualTo(first);
    }

    @Test
    void nobodyInterestedMeansNobodyUnchoked() {
        assertThat(new Choker(new Random(1)).decide(List.of(peer(1, false, 5, 5)), false, true)).isEmpty();
    }
}
