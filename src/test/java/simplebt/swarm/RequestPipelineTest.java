package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

/** The request pipeline without a socket: blocks come from a counter, time is given. */
class RequestPipelineTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long TIMEOUT = 30 * SECOND;
    private int next;

    /** Hands out consecutive blocks of piece 0, as many as asked for. */
    private final IntFunction<List<Block>> picker = want -> {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < want; i++) {
            out.add(block(next++));
        }
        return out;
    };

    private static boolean delivered(RequestPipeline p, int n, long now) {
        return deliver(p, block(n), now) == RequestPipeline.Delivery.REQUESTED;
    }

    private static RequestPipeline.Delivery deliver(RequestPipeline p, Block b, long now) {
        return p.delivered(b.piece(), b.offset(), b.length(), now);
    }

    private static Block block(int n) {
        return new Block(n / 16, (n % 16) * 16384, 16384);
    }

    @Test
    void startsWithTheInitialWindowAndGrowsByOnePerDeliveredBlock() {
        RequestPipeline p = new RequestPipeline(0);
        assertThat(p.refill(picker, 0)).hasSize(RequestPipeline.INITIAL);
        assertThat(delivered(p, 0, 1)).isTrue();
        assertThat(delivered(p, 1, 1)).isTrue();
        assertThat(p.limit()).isEqualTo(RequestPipeline.INITIAL + 2);
    }

    @Test
    void topsUpInBatchesOfAQuarter() {
        RequestPipeline p = new RequestPipeline(0);
        p.refill(picker, 0);
        delivered(p, 0, 1); // room 17, 15 in flight: 2 free, under a quarter
        assertThat(p.refill(picker, 1)).isEmpty();
        for (int i = 1; i < 4; i++) {
            delivered(p, i, 1);
        }
        assertThat(p.refill(picker, 1)).hasSize(p.limit() - 12);
    }

    @Test
    void neverExceedsThePeersReqq() {
        RequestPipeline p = new RequestPipeline(0);
        p.peerQueue(5);
        assertThat(p.refill(picker, 0)).hasSize(5);
    }

    /** Issue 14: a 50 KiB/s peer offering reqq 500 gets about three seconds' worth, not 500. */
    @Test
    void aSlowPeerHoldsOnlyAFewSecondsOfItsRate() {
        RequestPipeline p = new RequestPipeline(0);
        p.peerQueue(500);
        for (int i = 0; i < 600; i++) { // ten minutes of slow delivery: slow start has long opened up
            p.refill(picker, i);
            delivered(p, i, i);
        }
        p.clear();
        p.measuredRate(50 * 1024);
        assertThat(p.refill(picker, 0)).hasSize(10); // ceil(50 KiB * 3 / 16 KiB)
    }

    @Test
    void aFastPeerKeepsADeepPipeline() {
        RequestPipeline p = new RequestPipeline(0);
        p.peerQueue(500);
        for (int round = 0; round < 100; round++) {
            p.refill(picker, round).forEach(b -> deliver(p, b, 0));
        }
        p.measuredRate(100 << 20);
        assertThat(p.limit()).isEqualTo(RequestPipeline.MAX);
    }

    @Test
    void aPeerThatSendsNothingStillGetsTheMinimum() {
        RequestPipeline p = new RequestPipeline(0);
        p.measuredRate(0);
        assertThat(p.refill(picker, 0)).hasSize(RequestPipeline.MIN);
    }

    @Test
    void requestsUnansweredForTheTimeoutComeBackAndThePeerGetsOneAtATime() {
        RequestPipeline p = new RequestPipeline(0);
        List<Block> sent = p.refill(picker, 0);
        assertThat(p.timeOutIfDue(TIMEOUT, TIMEOUT)).as("not yet").isEmpty();
        assertThat(p.timeOutIfDue(TIMEOUT + 1, TIMEOUT)).as("to cancel").containsExactlyElementsOf(sent);
        assertThat(p.snubbed()).isTrue();
        assertThat(p.size()).isZero();
        assertThat(p.refill(picker, TIMEOUT + 1)).hasSize(1);
        assertThat(delivered(p, RequestPipeline.INITIAL, TIMEOUT + 2)).isTrue();
        assertThat(p.snubbed()).as("delivering ends the snub").isFalse();
    }

    @Test
    void threeTimeoutsInARowMeanStalled() {
        RequestPipeline p = new RequestPipeline(0);
        long now = 0;
        for (int i = 0; i < RequestPipeline.MAX_TIMEOUTS; i++) {
            assertThat(p.stalled()).isFalse();
            p.refill(picker, now);
            now += TIMEOUT + 1;
            assertThat(p.timeOutIfDue(now, TIMEOUT)).isNotEmpty();
        }
        assertThat(p.stalled()).isTrue();
    }

    @Test
    void theTimeoutCountsFromTheLastBlockNotTheFirstRequest() {
        RequestPipeline p = new RequestPipeline(0);
        p.refill(picker, 0);
        delivered(p, 0, TIMEOUT);
        assertThat(p.timeOutIfDue(TIMEOUT + TIMEOUT / 2, TIMEOUT)).isEmpty();
    }

    @Test
    void anUnrequestedBlockDoesNotGrowTheWindow() {
        RequestPipeline p = new RequestPipeline(0);
        assertThat(delivered(p, 99, 0)).isFalse();
        assertThat(p.limit()).isEqualTo(RequestPipeline.INITIAL);
    }

    @Test
    void aCancelledOrClearedBlockIsNoLongerInFlight() {
        RequestPipeline p = new RequestPipeline(0);
        List<Block> sent = p.refill(picker, 0);
        assertThat(p.cancel(sent.get(0))).isTrue();
        assertThat(p.cancel(sent.get(0))).isFalse();
        assertThat(p.clear()).hasSize(sent.size() - 1);
        assertThat(p.size()).isZero();
    }

    /** Issue 14: junk used to reset the request timeout, so a sprayer was never snubbed. */
    @Test
    void anUnrequestedBlockDoesNotResetTheTimeout() {
        RequestPipeline p = new RequestPipeline(0);
        p.refill(picker, 0);
        assertThat(deliver(p, block(99), TIMEOUT)).isEqualTo(RequestPipeline.Delivery.UNREQUESTED);
        assertThat(p.timeOutIfDue(TIMEOUT + 1, TIMEOUT)).isNotEmpty();
    }

    /** A block we asked for with another length is not the block we asked for. */
    @Test
    void aRequestedBlockOfTheWrongLengthIsUnrequested() {
        RequestPipeline p = new RequestPipeline(0);
        Block sent = p.refill(picker, 0).get(0);
        assertThat(deliver(p, new Block(sent.piece(), sent.offset(), 1), 0)).isEqualTo(RequestPipeline.Delivery.UNREQUESTED);
        assertThat(deliver(p, sent, 0)).isEqualTo(RequestPipeline.Delivery.REQUESTED);
    }

    /** Blocks taken back (choke, cancel, timeout) that still arrive are late, not junk, once each. */
    @Test
    void aBlockTakenBackThatStillArrivesIsLate() {
        RequestPipeline p = new RequestPipeline(0);
        List<Block> sent = p.refill(picker, 0);
        p.cancel(sent.get(0));
        p.clear();
        assertThat(deliver(p, sent.get(0), 1)).isEqualTo(RequestPipeline.Delivery.LATE);
        assertThat(deliver(p, sent.get(1), 1)).isEqualTo(RequestPipeline.Delivery.LATE);
        assertThat(deliver(p, sent.get(1), 1)).isEqualTo(RequestPipeline.Delivery.UNREQUESTED);
    }
}
