package simplebt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Moving through numbered items with keys, and the menu lines a person sees. */
class KeyChoiceTest {
    @Test
    void arrowsMoveAndWrapHomeAndEndJump() {
        KeyChoice c = new KeyChoice(4, true);
        assertThat(c.selected()).isZero();
        assertThat(c.apply(Key.DOWN)).isEqualTo(KeyChoice.Result.MOVED);
        assertThat(c.selected()).isEqualTo(1);
        c.apply(Key.UP);
        c.apply(Key.UP);
        assertThat(c.selected()).isEqualTo(3); // wrapped from the first to the last
        c.apply(Key.DOWN);
        assertThat(c.selected()).isZero();     // and back
        c.apply(Key.END);
        assertThat(c.selected()).isEqualTo(3);
        c.apply(Key.HOME);
        assertThat(c.selected()).isZero();
    }

    @Test
    void enterPicksTheHighlightedItem() {
        KeyChoice c = new KeyChoice(4, true);
        c.apply(Key.DOWN);
        c.apply(Key.DOWN);
        assertThat(c.apply(Key.ENTER)).isEqualTo(KeyChoice.Result.PICKED);
        assertThat(c.selected()).isEqualTo(2);
    }

    @Test
    void aTypedNumberMovesTheHighlightAndEnterPicksIt() {
        KeyChoice c = new KeyChoice(4, true);
        c.apply(Key.of('3'));
        assertThat(c.selected()).isEqualTo(2);
        assertThat(c.promptLine()).endsWith(": 3");
        assertThat(c.apply(Key.ENTER)).isEqualTo(KeyChoice.Result.PICKED);
        assertThat(c.selected()).isEqualTo(2);
    }

    @Test
    void anOutOfRangeNumberSaysWhatIsAllowed() {
        KeyChoice c = new KeyChoice(4, true);
        c.apply(Key.of('2'));
        c.apply(Key.of('9'));
        assertThat(c.selected()).isEqualTo(1); // "29" is not an item: the highlight stays on 2
        assertThat(c.promptLine()).startsWith("Please type a number from 1 to 4.");
        c.apply(Key.DOWN);
        assertThat(c.promptLine()).doesNotContain("Please");
        c.apply(Key.of('0'));
        assertThat(c.promptLine()).startsWith("Please type a number from 1 to 4.");
    }

    @Test
    void twoDigitNumbersInALongList() {
        KeyChoice c = new KeyChoice(12, false);
        c.apply(Key.of('1'));
        c.apply(Key.of('2'));
        assertThat(c.selected()).isEqualTo(11);
        c.apply(Key.BACKSPACE);
        c.apply(Key.of('0'));
        assertThat(c.selected()).isEqualTo(9);
    }

    @Test
    void escapeAndQBackOutWhereAllowed() {
        KeyChoice c = new KeyChoice(4, true);
        assertThat(c.apply(Key.ESCAPE)).isEqualTo(KeyChoice.Result.BACK);
        assertThat(c.apply(Key.of('q'))).isEqualTo(KeyChoice.Result.BACK);
        assertThat(c.promptLine()).contains("q goes back");
    }

    @Test
    void escapeDoesNothingWithoutABack() {
        KeyChoice c = new KeyChoice(4, false);
        c.apply(Key.DOWN);
        assertThat(c.apply(Key.ESCAPE)).isEqualTo(KeyChoice.Result.MOVED);
        assertThat(c.apply(Key.of('q'))).isEqualTo(KeyChoice.Result.MOVED);
        assertThat(c.selected()).isEqualTo(1);
        assertThat(c.promptLine()).doesNotContain("q goes back");
    }

    @Test
    void ctrlDEndsTheInput() {
        assertThat(new KeyChoice(4, true).apply(Key.END_OF_INPUT)).isEqualTo(KeyChoice.Result.END_OF_INPUT);
    }

    @Test
    void rowsThatGoAwayKeepTheHighlightOnARow() {
        KeyChoice c = new KeyChoice(3, true);
        c.apply(Key.END);
        c.count(2); // the last row was removed
        assertThat(c.selected()).isEqualTo(1);
        c.count(0);
        assertThat(c.apply(Key.ENTER)).isEqualTo(KeyChoice.Result.MOVED); // nothing to pick
        assertThat(c.apply(Key.DOWN)).isEqualTo(KeyChoice.Result.MOVED);
        c.apply(Key.of('1'));
        assertThat(c.promptLine()).startsWith("Nothing to choose.").contains("q goes back");
        c.count(1);
        assertThat(c.apply(Key.ENTER)).isEqualTo(KeyChoice.Result.PICKED);
        assertThat(c.selected()).isZero();
    }

    @Test
    void menuLinesMarkTheHighlightAndFitTheWidth() {
        KeyChoice c = new KeyChoice(2, false);
        c.apply(Key.DOWN);
        List<String> lines = Prompt.menuLines("Pick one \033]52;c;evil\007", List.of("short", "x".repeat(200)), c, 40);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("Pick one \\x1b]52").hasSizeLessThanOrEqualTo(39); // a name cannot drive the terminal
        assertThat(lines.get(1)).isEqualTo("  1) short");
        assertThat(lines.get(2)).isEqualTo("\033[7m> 2) " + "x".repeat(31) + "...\033[0m"); // 39 columns: none wraps
        assertThat(lines.get(3)).isEqualTo("Choose 1-2 (arrows move, Enter picks): ");
        assertThat(IntStream.range(0, 4).mapToObj(lines::get)).allMatch(l -> l.replaceAll("\033\\[[0-9]*m", "").length() <= 39);
    }
}
