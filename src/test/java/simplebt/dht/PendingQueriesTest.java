package simplebt.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class PendingQueriesTest {
    private static final InetSocketAddress ASKED = new InetSocketAddress("127.0.0.1", 6881);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 6882);
    private final PendingQueries pending = new PendingQueries(Duration.ofSeconds(30));

    @Test
    void aReplyWithTheIdFromTheAskedAddressIsTakenOnce() {
        PendingQueries.Sent q = pending.add(ASKED);
        assertThat(q.t()).hasSize(2);
        assertThat(pending.match(q.t(), ASKED)).isSameAs(q.reply());
        assertThat(pending.match(q.t(), ASKED)).as("a second reply to the same query").isNull();
    }

    @Test
    void aReplyFromAnotherAddressIsNotTakenAndTheQueryStillWaits() {
        PendingQueries.Sent q = pending.add(ASKED);
        assertThat(pending.match(q.t(), OTHER)).isNull();
        assertThat(pending.match(q.t(), ASKED)).isSameAs(q.reply());
    }

    @Test
    void unknownAndMisshapenIdsMatchNothing() {
        PendingQueries.Sent q = pending.add(ASKED);
        byte[] other = {(byte) (q.t()[0] ^ 1), q.t()[1]};
        assertThat(pending.match(other, ASKED)).isNull();
        assertThat(pending.match(new byte[] {q.t()[0], q.t()[1], 0}, ASKED)).isNull();
        assertThat(pending.match(new byte[0], ASKED)).isNull();
    }

    @Test
    void queriesInFlightGetDifferentIds() {
        assertThat(pending.add(ASKED).t()).isNotEqualTo(pending.add(ASKED).t());
    }

    @Test
    void anUnansweredQueryTimesOut() {
        PendingQueries.Sent q = new PendingQueries(Duration.ofMillis(50)).add(ASKED);
        assertThatThrownBy(() -> q.reply().get()).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void closingCancelsEveryWaitingQuery() {
        PendingQueries.Sent a = pending.add(ASKED);
        PendingQueries.Sent b = pending.add(OTHER);
        pending.cancelAll();
        assertThat(a.reply().isCancelled()).isTrue();
        assertThat(b.reply().isCancelled()).isTrue();
    }
}
