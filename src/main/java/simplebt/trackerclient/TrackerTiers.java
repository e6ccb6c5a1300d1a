package simplebt.trackerclient;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The trackers to announce to, in BEP 12 order: tiers in the order given, trackers within a
 * tier shuffled once, and a tracker that answers moved to the front of its tier, so the next
 * announce goes to it first. HTTP(S) and UDP (BEP 15) trackers are kept; the others (e.g.
 * WebSocket trackers) are named by {@link #skippedNote()} so that the user hears of them.
 *
 * <p>Not thread-safe: owned by the announcer's thread.
 */
public final class TrackerTiers {
    private final List<List<String>> tiers;
    private final List<String> skipped;

    private TrackerTiers(List<List<String>> tiers, List<String> skipped) {
        this.tiers = tiers;
        this.skipped = skipped;
    }

    /** BEP 12 tiers (an announce-list, or one tier per {@code --tracker}); duplicates after the first are dropped. */
    public static TrackerTiers of(List<List<String>> given, RandomGenerator random) {
        List<List<String>> tiers = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (List<String> tier : given) {
            List<String> kept = new ArrayList<>();
            for (String url : tier) {
                if (seen.contains(url)) {
                    continue;
                }
                seen.add(url);
                if (url.startsWith("http://") || url.startsWith("https://") || url.startsWith("udp://")) {
                    kept.add(url);
                } else {
                    skipped.add(url);
                }
            }
            shuffle(kept, random);
            if (!kept.isEmpty()) {
                tiers.add(kept);
            }
        }
        return new TrackerTiers(tiers, skipped);
    }

    public boolean isEmpty() {
        return tiers.isEmpty();
    }

    /** Every tracker, in the order to try them now. */
    public List<String> order() {
        return tiers.stream().flatMap(List::stream).toList();
    }

    /** {@code url} answered: it goes first in its tier (BEP 12). */
    public void answered(String url) {
        for (List<String> tier : tiers) {
            if (tier.remove(url)) {
                tier.add(0, url);
                return;
            }
        }
    }

    /** One line naming the trackers left out, if any. */
    public Optional<String> skippedNote() {
        if (skipped.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("ignoring " + (skipped.size() == 1 ? "tracker " : skipped.size() + " trackers ") + String.join(", ", skipped)
                + ": only HTTP(S) and UDP trackers are supported");
    }

    private static void shuffle(List<String> list, RandomGenerator random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(i, list.set(j, list.get(i)));
        }
    }
}
