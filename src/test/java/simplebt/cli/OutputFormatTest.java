package simplebt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Units, Table and ProgressBar: what a user reads. */
class OutputFormatTest {
    @Test
    void units() {
        assertThat(Units.bytes(0)).isEqualTo("0 B");
        assertThat(Units.bytes(1023)).isEqualTo("1023 B");
        assertThat(Units.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(Units.bytes(75000)).isEqualTo("73.2 KiB");
        assertThat(Units.bytes(1L << 30)).isEqualTo("1.0 GiB");
        assertThat(Units.bytes(200L << 20)).isEqualTo("200 MiB");
        assertThat(Units.rate(1536)).isEqualTo("1.5 KiB/s");
        assertThat(Units.duration(-1)).isEqualTo("--:--");
        assertThat(Units.duration(65)).isEqualTo("1:05");
        assertThat(Units.duration(3725)).isEqualTo("1:02:05");
    }

    @Test
    void sizesReadAsStringFormatWroteThem() {
        // Units formats by hand (no java.util.Formatter at start-up); the text must not change.
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 100_000; i++) {
            long n = random.nextLong(1L << (10 + random.nextInt(40)));
            double v = n;
            int unit = 0;
            while (v >= 1024 && unit < 5) {
                v /= 1024;
                unit++;
            }
            String number = n < 1024 ? Long.toString(n)
                    : String.format(java.util.Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
            assertThat(Units.bytes(n)).as("%d bytes", n).startsWith(number + " ");
        }
        assertThat(Units.duration(59)).isEqualTo("0:59");
        assertThat(Units.duration(36000)).isEqualTo("10:00:00");
    }

    @Test
    void tableAlignsNumbersRightAndTextLeft() { // headers stay left-aligned
        String t = new Table("No.", "Name", "Size").row(1, "a", "10 B").row(10, "longer name", "1.5 MiB").render();
        assertThat(t).isEqualTo("""
                No.  Name         Size
                ---  -----------  -------
                  1  a               10 B
                 10  longer name  1.5 MiB
                """);
    }

    @Test
    void tableRejectsAWrongRowWidth() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Table("a", "b").row(1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String progress(boolean tty, boolean silent) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressBar bar = new ProgressBar("hashing", 2048, out, tty, silent);
        bar.update(1024);
        bar.update(1536); // within the redraw interval: skipped
        bar.finish(2048, "peers 3");
        bar.finish(2048, "again"); // once only
        bar.update(2048);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainProgressIsWholeLines() {
        String out = progress(false, false);
        assertThat(out).doesNotContain("\r");
        assertThat(out.lines().toList()).hasSize(2);
        assertThat(out.lines().toList().get(0)).startsWith("hashing  50.0%  1.0 KiB / 2.0 KiB");
        assertThat(out.lines().toList().get(1)).startsWith("hashing 100.0%  2.0 KiB / 2.0 KiB").contains(" in 0:00").endsWith("  peers 3");
    }

    @Test
    void terminalProgressRedrawsOneLine() {
        String out = progress(true, false);
        assertThat(out).startsWith("\r\033[K[###############...............] hashing  50.0%");
        assertThat(out).contains("\r\033[K[##############################] hashing 100.0%");
        assertThat(out).endsWith("peers 3" + System.lineSeparator());
        assertThat(out).doesNotContain("again");
    }

    @Test
    void quietProgressPrintsNothing() {
        assertThat(progress(false, true)).isEmpty();
    }
}
