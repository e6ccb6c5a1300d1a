package simplebt.trackerclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGeneratorFactory;

import org.junit.jupiter.api.Test;

/** BEP 12 order: tiers kept, shuffled within, a tracker that answers goes first in its tier. */
class TrackerTiersTest {
    private static final List<List<String>> GIVEN = List.of(
            List.of("http://a/announce", "http://b/announce", "http://c/announce", "http://d/announce"),
            List.of("http://e/announce", "http://f/announce"));

    private static TrackerTiers tiers(long seed) {
        return TrackerTiers.of(GIVEN, RandomGeneratorFactory.of("L64X128MixRandom").create(seed));
    }

    @Test
    void tiersKeepTheirOrderAndAreShuffledWithin() {
        Set<List<String>> orders = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            List<String> order = tiers(seed).order();
            assertThat(order.subList(0, 4)).containsExactlyInAnyOrderElementsOf(GIVEN.get(0));
            assertThat(order.subList(4, 6)).containsExactlyInAnyOrderElementsOf(GIVEN.get(1));
            orders.add(order);
        }
        assertThat(orders).as("shuffled, not always the given order").hasSizeGreaterThan(5);
    }

    @Test
    void aTrackerThatAnswersGoesToTheFrontOfItsTier() {
        TrackerTiers t = tiers(1);
        String last = t.order().get(3);
        t.answered(last);
        assertThat(t.order().get(0)).isEqualTo(last);
        t.answered("http://f/announce");
        assertThat(t.order().get(4)).isEqualTo("http://f/announce"); // its own tier only
        assertThat(t.order()).hasSize(6);
    }

    @Test
    void unsupportedTrackersAreNamedNotDroppedSilently() {
        TrackerTiers t = TrackerTiers.of(List.of(List.of("wss://tracker.example:1337/announce", "http://a/announce"),
                List.of("ws://other.example:6969"), List.of("http://a/announce"), List.of("udp://u.example:80/announce")), RandomGeneratorFactory.of("L64X128MixRandom").create(3));
        assertThat(t.order()).containsExactly("http://a/announce", "udp://u.example:80/announce"); // and the duplicate in tier 3 dropped
        assertThat(t.skippedNote()).contains("ignoring 2 trackers wss://tracker.example:1337/announce, ws://other.example:6969:"
                + " only HTTP(S) and UDP trackers are supported");
        assertThat(TrackerTiers.of(GIVEN, RandomGeneratorFactory.of("L64X128MixRandom").create(3)).skippedNote()).isEmpty();
    }

    @Test
    void onlyUnsupportedTrackersLeaveNothingToAnnounceTo() {
        TrackerTiers t = TrackerTiers.of(List.of(List.of("wss://x:1")), RandomGeneratorFactory.of("L64X128MixRandom").create(0));
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.skippedNote()).contains("ignoring tracker wss://x:1: only HTTP(S) and UDP trackers are supported");
    }
}
