package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.testing.Eventually;

@Timeout(60)
class HashingGateTest {
    @Test
    void neverMoreHashingAtOnceThanPermits() throws Exception {
        HashingGate gate = new HashingGate(2);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean suspect = i % 2 == 0;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    gate.run(suspect, () -> {
                        most.accumulateAndGet(now.incrementAndGet(), Math::max);
                        // Hold the permit until a second holder is in: on a loaded machine each
                        // hash could otherwise end before the next thread runs, and "2" would
                        // depend on timing rather than on the gate letting two in.
                        long until = System.nanoTime() + 5_000_000_000L;
                        while (most.get() < 2 && System.nanoTime() < until) {
                            LockSupport.parkNanos(1_000_000);
                        }
                        PasswordHasher.derive("password", new byte[16], 2_000);
                        return now.decrementAndGet();
                    });
                } catch (ApiException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void aWaitingCleanAttemptGoesBeforeWaitingSuspectOnes() throws Exception {
        HashingGate gate = new HashingGate(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdThePermit(gate, release);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "suspect" + i;
            waiters.add(Thread.ofVirtual().start(() -> run(gate, true, () -> order.add(name))));
        }
        awaitWaiting(gate, 3);
        waiters.add(Thread.ofVirtual().start(() -> run(gate, false, () -> order.add("clean"))));
        awaitWaiting(gate, 4);
        release.countDown();
        holder.join();
        for (Thread t : waiters) {
            t.join();
        }
        assertThat(order).hasSize(4).first().isEqualTo("clean");
    }

    @Test
    void aFullQueueIsRefusedAtOnceWithRetryAfter() throws Exception {
        HashingGate gate = new HashingGate(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdThePermit(gate, release);
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < HashingGate.MAX_WAITING; i++) {
            waiters.add(Thread.ofVirtual().start(() -> run(gate, true, () -> { })));
        }
        awaitWaiting(gate, HashingGate.MAX_WAITING);
        assertThatThrownBy(() -> gate.run(true, () -> 1)).isInstanceOf(ApiException.class)
                .satisfies(e -> {
                    assertThat(((ApiException) e).status()).isEqualTo(503);
                    assertThat(((ApiException) e).retryAfterSeconds()).isEqualTo(1);
                });
        release.countDown();
        holder.join();
        for (Thread t : waiters) {
            t.join();
        }
    }

    /** A thread holding the gate's only permit until {@code release} opens. */
    private static Thread holdThePermit(HashingGate gate, CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> run(gate, false, () -> {
            holding.countDown();
            await(release);
        }));
        holding.await();
        return holder;
    }

    private static void run(HashingGate gate, boolean suspect, Runnable work) {
        try {
            gate.run(suspect, () -> {
                work.run();
                return null;
            });
        } catch (ApiException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitWaiting(HashingGate gate, int n) throws InterruptedException {
        assertThat(Eventually.within(Duration.ofSeconds(10), () -> gate.waiting() >= n)).as("%d waiting", n).isTrue();
    }
}
