package simplebt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** One status line per torrent: redrawn in place on a terminal, plain snapshots when piped. */
class StatusBlockTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalTheBlockIsRedrawnOverItself() {
        StatusBlock block = new StatusBlock(out, true, 0);
        block.showNow(List.of("a 10%", "b 20%", "c 30%"));
        assertThat(text()).isEqualTo("\r\033[Ka 10%\n\033[Kb 20%\n\033[Kc 30%");
        bytes.reset();
        block.showNow(List.of("a 11%", "b 21%", "c 31%"));
        assertThat(text()).as("back up two lines to the first, each line cleared")
                .isEqualTo("\r\033[2A\033[Ka 11%\n\033[Kb 21%\n\033[Kc 31%");
        bytes.reset();
        block.end();
        assertThat(text()).isEqualTo(System.lineSeparator());
    }

    @Test
    void pipedEachSnapshotIsPlainLinesAndTooSoonIsSkipped() {
        StatusBlock block = new StatusBlock(out, false, 60_000_000_000L);
        block.show(List.of("a 10%", "b 20%"));
        block.show(List.of("a 11%", "b 21%")); // within the interval: nothing
        block.showNow(List.of("a 12%", "b 22%")); // the final state always
        assertThat(text().lines().toList()).containsExactly("a 10%", "b 20%", "a 12%", "b 22%");
        assertThat(text()).doesNotContain("\033");
    }

    @Test
    void linesThatWouldNotBeDrawnAreNotMade() {
        StatusBlock block = new StatusBlock(out, false, 60_000_000_000L);
        AtomicInteger made = new AtomicInteger();
        Supplier<List<String>> lines = () -> {
            made.incrementAndGet();
            return List.of("a " + made.get());
        };
        block.show(lines);
        for (int i = 0; i < 5; i++) {
            block.show(lines); // within the interval: a log gets nothing, so nothing is made
        }
        assertThat(made.get()).isEqualTo(1);
        assertThat(text().lines().toList()).containsExactly("a 1");
    }
}
