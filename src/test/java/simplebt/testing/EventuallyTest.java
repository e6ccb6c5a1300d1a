package simplebt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class EventuallyTest {
    @Test
    void returnsTrueOnceTheConditionHoldsAndLooksNoFurther() throws InterruptedException {
        AtomicInteger looks = new AtomicInteger();
        assertThat(Eventually.within(Duration.ofSeconds(30), () -> looks.incrementAndGet() == 3)).isTrue();
        assertThat(looks).hasValue(3);
    }

    @Test
    void returnsFalseWhenTheConditionNeverHolds() throws InterruptedException {
        AtomicInteger looks = new AtomicInteger();
        assertThat(Eventually.within(Duration.ofMillis(100), Duration.ofMillis(10), () -> looks.incrementAndGet() < 0)).isFalse();
        assertThat(looks.get()).as("looked more than once").isGreaterThan(1);
    }

    @Test
    void whatTheConditionThrowsEndsTheWait() {
        AtomicInteger looks = new AtomicInteger();
        assertThatThrownBy(() -> Eventually.within(Duration.ofSeconds(30), () -> {
            if (looks.incrementAndGet() == 2) {
                throw new IOException("cannot read");
            }
            return false;
        })).isInstanceOf(IOException.class).hasMessage("cannot read");
        assertThat(looks).hasValue(2);
    }
}
