package simplebt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The bytes that redraw a block in place: back to its first line, clear below, write. */
class LiveAreaTest {
    @Test
    void redrawGoesBackToTheFirstLineAndClearsBelow() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveArea area = new LiveArea(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        area.draw(List.of("title", "row 1", "prompt: "));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\r\033[Jtitle\nrow 1\nprompt: ");
        bytes.reset();
        area.draw(List.of("title", "prompt: 1")); // one row fewer: the clear removes the old last line
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\r\033[2A\033[Jtitle\nprompt: 1");
        bytes.reset();
        area.draw(List.of("prompt: 2"));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\r\033[1A\033[Jprompt: 2");
        bytes.reset();
        area.end();
        area.end(); // a second end adds nothing
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(System.lineSeparator());
    }
}
