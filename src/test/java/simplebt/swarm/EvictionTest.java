package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class EvictionTest {
    private static final long GRACE = 60;
    private static final long NOW = 1_000;

    /** A peer connected {@code age} ago that last moved a block {@code idle} ago. */
    private static Eviction.Candidate peer(int id, long age, long idle, boolean snubbed, boolean weWant, boolean theyWant) {
        return new Eviction.Candidate(id, NOW - age, NOW - idle, snubbed, weWant, theyWant);
    }

    private static Optional<Integer> victim(Eviction.Candidate... peers) {
        return Eviction.victim(List.of(peers), NOW, GRACE).map(Eviction.Candidate::id);
    }

    @Test
    void peersThatTradeAreNeverReplaced() {
        assertThat(victim(peer(1, 500, 1, false, true, false), peer(2, 500, 5, false, false, true))).isEmpty();
    }

    @Test
    void newPeersAreProtectedForTheGracePeriod() {
        assertThat(victim(peer(1, 10, 10, true, false, false))).isEmpty();
        assertThat(victim(peer(1, 60, 60, true, false, false))).contains(1);
    }

    @Test
    void snubbedGoFirstThenUninterestedThenLongestIdle() {
        Eviction.Candidate idleLong = peer(1, 900, 800, false, true, true);
        Eviction.Candidate idleShort = peer(2, 900, 100, false, true, true);
        Eviction.Candidate uninterested = peer(3, 900, 5, false, false, false);
        Eviction.Candidate snubbed = peer(4, 900, 5, true, true, false);
        assertThat(victim(idleShort, idleLong, uninterested, snubbed)).contains(4);
        assertThat(victim(idleShort, idleLong, uninterested)).contains(3);
        assertThat(victim(idleShort, idleLong)).contains(1);
    }
}
