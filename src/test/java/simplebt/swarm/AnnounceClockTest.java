package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The clock's slots: {@value AnnounceClock#IN_FLIGHT} per tracker (scheme, host and port, so a
 * passkey in the path does not make a second tracker of one), and {@value AnnounceClock#HOST_WIDE}
 * for the host whatever the trackers, the bound on the descriptors announces hold.
 */
@Timeout(30)
class AnnounceClockTest {
    /** Long enough for a free slot to be taken many times over; a taker still waiting then is blocked. */
    private static final Duration BLOCKED = Duration.ofMillis(300);

    @Test
    void aTrackerWithAllItsSlotsTakenBlocksOnlyItsOwnAnnounces() throws Exception {
        AnnounceClock clock = new AnnounceClock();
        try {
            for (int i = 0; i < AnnounceClock.IN_FLIGHT; i++) {
                clock.takeSlot("udp://Dead.example:1337/announce");
            }
            Thread sameTracker = Thread.ofVirtual().start(() -> take(clock, "udp://dead.example:1337/announce?passkey=x"));
            Thread otherTracker = Thread.ofVirtual().start(() -> take(clock, "http://alive.example:80/announce"));

            assertThat(otherTracker.join(Duration.ofSeconds(5))).as("another tracker's announce got a slot").isTrue();
            assertThat(sameTracker.join(BLOCKED)).as("the full tracker's next announce waits").isFalse();
            clock.giveSlot("udp://dead.example:1337/announce");
            assertThat(sameTracker.join(Duration.ofSeconds(5))).as("and gets the slot given back").isTrue();
        } finally {
            clock.shutdownNow();
        }
    }

    @Test
    void theHostWideCapBoundsAnnouncesAcrossTrackers() throws Exception {
        AnnounceClock clock = new AnnounceClock();
        try {
            int trackers = AnnounceClock.HOST_WIDE / AnnounceClock.IN_FLIGHT;
            for (int t = 0; t < trackers; t++) {
                for (int i = 0; i < AnnounceClock.IN_FLIGHT; i++) {
                    clock.takeSlot("http://t" + t + ".example/announce");
                }
            }
            Thread oneMore = Thread.ofVirtual().start(() -> take(clock, "http://fresh.example/announce"));

            assertThat(oneMore.join(BLOCKED)).as("past " + AnnounceClock.HOST_WIDE + " announces on the wire").isFalse();
            clock.giveSlot("http://t0.example/announce");
            assertThat(oneMore.join(Duration.ofSeconds(5))).as("a slot given back anywhere lets it in").isTrue();
        } finally {
            clock.shutdownNow();
        }
    }

    private static void take(AnnounceClock clock, String url) {
        try {
            clock.takeSlot(url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
