package simplebt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The bytes real terminals send for each key, and what the decoder makes of them. */
class KeyDecoderTest {
    private static List<Key> decode(String bytes) {
        KeyDecoder d = new KeyDecoder();
        List<Key> keys = new ArrayList<>();
        for (byte b : bytes.getBytes(StandardCharsets.ISO_8859_1)) {
            keys.addAll(d.feed(b));
        }
        d.idle().ifPresent(keys::add);
        return keys;
    }

    @Test
    void arrowsInNormalCursorMode() {
        assertThat(decode("\033[A\033[B\033[C\033[D")).containsExactly(Key.UP, Key.DOWN, Key.RIGHT, Key.LEFT);
    }

    @Test
    void arrowsInApplicationCursorMode() {
        // ESC O A: what tmux and xterm send after an application has set DECCKM
        assertThat(decode("\033OA\033OB\033OH\033OF")).containsExactly(Key.UP, Key.DOWN, Key.HOME, Key.END);
    }

    @Test
    void homeAndEndInEveryDialect() {
        assertThat(decode("\033[H\033[F")).containsExactly(Key.HOME, Key.END);              // xterm
        assertThat(decode("\033[1~\033[4~")).containsExactly(Key.HOME, Key.END);            // VT220, tmux, Linux console
        assertThat(decode("\033[7~\033[8~")).containsExactly(Key.HOME, Key.END);            // rxvt
        assertThat(decode("\033[5~\033[6~")).containsExactly(Key.PAGE_UP, Key.PAGE_DOWN);
    }

    @Test
    void modifiersAreIgnored() {
        // ESC [ 1 ; 5 A is Ctrl-Up, ESC [ 1 ; 2 H Shift-Home
        assertThat(decode("\033[1;5A\033[1;2H")).containsExactly(Key.UP, Key.HOME);
    }

    @Test
    void enterIsCrOrLfButCrLfIsOne() {
        assertThat(decode("\r")).containsExactly(Key.ENTER);
        assertThat(decode("\n")).containsExactly(Key.ENTER);
        assertThat(decode("\r\n")).containsExactly(Key.ENTER);
        assertThat(decode("\n\n")).containsExactly(Key.ENTER, Key.ENTER);
        assertThat(decode("\r\r")).containsExactly(Key.ENTER, Key.ENTER);
    }

    @Test
    void loneEscapeIsKnownOnlyWhenNothingFollows() {
        KeyDecoder d = new KeyDecoder();
        assertThat(d.feed(0x1b)).isEmpty();
        assertThat(d.midSequence()).isTrue();
        assertThat(d.idle()).contains(Key.ESCAPE);
        assertThat(d.midSequence()).isFalse();
        assertThat(d.idle()).isEmpty();
    }

    @Test
    void escapeTwiceThenAnArrow() {
        assertThat(decode("\033\033[A")).containsExactly(Key.ESCAPE, Key.UP);
    }

    @Test
    void altKeyIsEscapeThenTheKey() {
        assertThat(decode("\033q")).containsExactly(Key.ESCAPE, Key.of('q'));
    }

    @Test
    void digitsLettersBackspaceAndCtrlD() {
        assertThat(decode("12q\177\010\004")).containsExactly(Key.of('1'), Key.of('2'), Key.of('q'),
                Key.BACKSPACE, Key.BACKSPACE, Key.END_OF_INPUT);
        assertThat(Key.of('7').isDigit()).isTrue();
        assertThat(Key.of('q').isDigit()).isFalse();
    }

    @Test
    void unknownSequencesAndBytesAreOther() {
        assertThat(decode("\033[15~")).containsExactly(Key.OTHER);         // F5
        assertThat(decode("\033[3~")).containsExactly(Key.OTHER);          // Delete
        assertThat(decode("\033OP")).containsExactly(Key.OTHER);           // F1
        assertThat(decode("\u00e9")).containsExactly(Key.OTHER);           // a byte of a non-ASCII character
        assertThat(decode("\001")).containsExactly(Key.OTHER);             // Ctrl-A
    }

    @Test
    void aSequenceCutOffByEscapeStartsAgain() {
        assertThat(decode("\033[1\033[B")).containsExactly(Key.OTHER, Key.DOWN);
        assertThat(decode("\033O\033[A")).containsExactly(Key.OTHER, Key.UP);
    }

    @Test
    void aSequenceCutOffByTheWaitIsOther() {
        assertThat(decode("\033[")).containsExactly(Key.OTHER);
    }

    @Test
    void aRunawayParameterListStaysBounded() {
        assertThat(decode("\033[" + "1;".repeat(10_000) + "A")).containsExactly(Key.UP);
    }
}
