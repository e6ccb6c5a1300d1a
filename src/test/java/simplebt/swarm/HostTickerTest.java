package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class HostTickerTest {
    private static final Duration FAST = Duration.ofMillis(20);

    @Test
    void everyTorrentIsTickedWithItsOwnCount() throws Exception {
        try (HostTicker ticker = new HostTicker(FAST)) {
            List<List<Long>> seen = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                    new CopyOnWriteArrayList<>());
            CountDownLatch enough = new CountDownLatch(3);
            for (List<Long> s : seen) {
                ticker.register("t", n -> {
                    s.add(n);
                    if (n == 5) {
                        enough.countDown();
                    }
                });
            }

            assertThat(enough.await(10, TimeUnit.SECONDS)).isTrue();
            for (List<Long> s : seen) {
                assertThat(s.subList(0, 5)).containsExactly(1L, 2L, 3L, 4L, 5L);
            }
        }
    }

    @Test
    void aCancelledTorrentIsNotTickedAgainAndCancelWaitsForItsTickInFlight() throws Exception {
        try (HostTicker ticker = new HostTicker(FAST)) {
            CountDownLatch inTick = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger ticks = new AtomicInteger();
            AtomicInteger running = new AtomicInteger();
            HostTicker.Entry e = ticker.register("slow", n -> {
                running.incrementAndGet();
                ticks.incrementAndGet();
                inTick.countDown();
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
            });
            assertThat(inTick.await(10, TimeUnit.SECONDS)).isTrue();

            Thread canceller = Thread.ofVirtual().start(e::cancel);
            canceller.join(Duration.ofMillis(300));
            assertThat(canceller.isAlive()).as("cancel waits while a tick runs").isTrue();
            release.countDown();
            canceller.join(Duration.ofSeconds(10));
            assertThat(canceller.isAlive()).isFalse();
            assertThat(running.get()).isZero();
            int after = ticks.get();
            Thread.sleep(FAST.multipliedBy(10)); // on purpose: ten intervals in which no tick may come
            assertThat(ticks.get()).isEqualTo(after).isEqualTo(1); // the slow tick's overdue ones were skipped, not queued
        }
    }

    @Test
    void aSlowTorrentDoesNotHoldUpTheOthers() throws Exception {
        try (HostTicker ticker = new HostTicker(FAST)) {
            CountDownLatch release = new CountDownLatch(1);
            ticker.register("stuck", n -> {
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            CountDownLatch others = new CountDownLatch(5);
            ticker.register("fine", n -> others.countDown());

            assertThat(others.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
        }
    }

    @Test
    void closingTheHostsTickerEndsTheTicks() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        HostTicker ticker = new HostTicker(FAST);
        ticker.register("t", n -> {
            ticks.incrementAndGet();
            first.countDown();
        });
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();

        ticker.close();
        Thread.sleep(FAST.multipliedBy(3)); // a tick started just before close may still finish
        int after = ticks.get();
        Thread.sleep(FAST.multipliedBy(10)); // on purpose: ten intervals in which no tick may come

        assertThat(ticks.get()).isEqualTo(after);
        AtomicInteger late = new AtomicInteger();
        ticker.register("late", n -> late.incrementAndGet()); // a torrent starting as its host closes
        Thread.sleep(FAST.multipliedBy(5)); // on purpose: five intervals in which it may not tick
        assertThat(late.get()).isZero();
    }
}
