package simplebt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Standard input read as lines (piped scripts) and as keys (raw mode), from one byte stream. */
class InputLinesTest {
    private static InputLines of(String text) {
        return InputLines.start(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void linesEndWithLfCrOrCrLfAndTheLastNeedsNoEnd() throws IOException {
        InputLines in = of("one\ntwo\r\nthree\rfour\n\nlast");
        assertThat(in.next()).isEqualTo("one");
        assertThat(in.next()).isEqualTo("two");
        assertThat(in.next()).isEqualTo("three");
        assertThat(in.next()).isEqualTo("four");
        assertThat(in.next()).isEmpty();
        assertThat(in.next()).isEqualTo("last");
        assertThatThrownBy(in::next).isInstanceOf(Prompt.EndOfInput.class);
        assertThatThrownBy(in::next).isInstanceOf(Prompt.EndOfInput.class); // and keeps saying so
        assertThat(in.ended()).isTrue();
    }

    @Test
    void utf8SplitAcrossReadsIsOneCharacter() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        InputLines in = InputLines.start(new PipedInputStream(feed));
        byte[] name = "Zoë\n".getBytes(StandardCharsets.UTF_8);
        feed.write(name, 0, 3); // "Zo" and the first byte of ë
        feed.flush();
        assertThat(in.poll(Duration.ofMillis(200))).isEmpty();
        feed.write(name, 3, name.length - 3);
        feed.flush();
        assertThat(in.next()).isEqualTo("Zoë");
        feed.close();
    }

    @Test
    void keysAndLinesShareTheBytes() throws IOException {
        // a menu reads keys, then a question reads the line typed ahead after the Enter
        InputLines in = of("\033[B2\n/tmp/file\n\033[A");
        assertThat(in.nextKey()).isEqualTo(Key.DOWN);
        assertThat(in.nextKey()).isEqualTo(Key.of('2'));
        assertThat(in.nextKey()).isEqualTo(Key.ENTER);
        assertThat(in.next()).isEqualTo("/tmp/file");
        assertThat(in.nextKey()).isEqualTo(Key.UP);
        assertThatThrownBy(in::nextKey).isInstanceOf(Prompt.EndOfInput.class);
    }

    @Test
    void aLoneEscapeIsTheEscapeKeyAfterAShortWait() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        InputLines in = InputLines.start(new PipedInputStream(feed));
        feed.write(0x1b);
        feed.flush();
        assertThat(in.pollKey(Duration.ofSeconds(5))).contains(Key.ESCAPE);
        feed.write("\033[A".getBytes(StandardCharsets.US_ASCII)); // one write: one key
        feed.flush();
        assertThat(in.pollKey(Duration.ofSeconds(5))).contains(Key.UP);
        assertThat(in.pollKey(Duration.ofMillis(100))).isEmpty();
        feed.close();
    }

    @Test
    void pollWaitsOnlyAsLongAsAsked() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        InputLines in = InputLines.start(new PipedInputStream(feed));
        assertThat(in.poll(Duration.ofMillis(50))).isEmpty();
        assertThat(in.pollKey(Duration.ofMillis(50))).isEmpty();
        feed.write("x".getBytes(StandardCharsets.US_ASCII));
        feed.flush();
        assertThat(in.poll(Duration.ofMillis(100))).isEmpty(); // no line end yet
        feed.close();
        assertThat(in.poll(Duration.ofSeconds(5))).contains("x"); // the end finishes the line
    }
}
