package simplebt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Moving through a menu with keys, and the lines a person sees. */
class KeyMenuTest {
    private static final List<String> ITEMS = List.of("Seed", "Download", "Settings", "Back");

    private static KeyMenu menu(int back) {
        return new KeyMenu("Main", ITEMS, back);
    }

    @Test
    void arrowsMoveAndWrapHomeAndEndJump() {
        KeyMenu m = menu(3);
        assertThat(m.selected()).isZero();
        assertThat(m.apply(Key.DOWN)).isEqualTo(KeyMenu.Result.MOVED);
        assertThat(m.selected()).isEqualTo(1);
        m.apply(Key.UP);
        m.apply(Key.UP);
        assertThat(m.selected()).isEqualTo(3); // wrapped from the first to the last
        m.apply(Key.DOWN);
        assertThat(m.selected()).isZero();     // and back
        m.apply(Key.END);
        assertThat(m.selected()).isEqualTo(3);
        m.apply(Key.HOME);
        assertThat(m.selected()).isZero();
    }

    @Test
    void enterPicksTheHighlightedItem() {
        KeyMenu m = menu(3);
        m.apply(Key.DOWN);
        m.apply(Key.DOWN);
        assertThat(m.apply(Key.ENTER)).isEqualTo(KeyMenu.Result.PICKED);
        assertThat(m.selected()).isEqualTo(2);
    }

    @Test
    void aTypedNumberMovesTheHighlightAndEnterPicksIt() {
        KeyMenu m = menu(3);
        m.apply(Key.of('3'));
        assertThat(m.selected()).isEqualTo(2);
        assertThat(m.lines(80).getLast()).endsWith(": 3");
        assertThat(m.apply(Key.ENTER)).isEqualTo(KeyMenu.Result.PICKED);
        assertThat(m.selected()).isEqualTo(2);
    }

    @Test
    void anOutOfRangeNumberSaysWhatIsAllowed() {
        KeyMenu m = menu(3);
        m.apply(Key.of('2'));
        m.apply(Key.of('9'));
        assertThat(m.selected()).isEqualTo(1); // "29" is not an item: the highlight stays on 2
        assertThat(m.lines(80).getLast()).startsWith("Please type a number from 1 to 4.");
        m.apply(Key.DOWN);
        assertThat(m.lines(80).getLast()).doesNotContain("Please");
        m.apply(Key.of('0'));
        assertThat(m.lines(80).getLast()).startsWith("Please type a number from 1 to 4.");
    }

    @Test
    void twoDigitNumbersInALongList() {
        List<String> many = java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(i -> "item " + i).toList();
        KeyMenu m = new KeyMenu("Long", many, Prompt.NO_BACK);
        m.apply(Key.of('1'));
        m.apply(Key.of('2'));
        assertThat(m.selected()).isEqualTo(11);
        m.apply(Key.BACKSPACE);
        m.apply(Key.of('0'));
        assertThat(m.selected()).isEqualTo(9);
    }

    @Test
    void escapeAndQPickBackWhereThereIsOne() {
        KeyMenu m = menu(3);
        assertThat(m.apply(Key.ESCAPE)).isEqualTo(KeyMenu.Result.PICKED);
        assertThat(m.selected()).isEqualTo(3);
        KeyMenu q = menu(3);
        assertThat(q.apply(Key.of('q'))).isEqualTo(KeyMenu.Result.PICKED);
        assertThat(q.selected()).isEqualTo(3);
    }

    @Test
    void escapeDoesNothingWithoutABack() {
        KeyMenu m = menu(Prompt.NO_BACK);
        m.apply(Key.DOWN);
        assertThat(m.apply(Key.ESCAPE)).isEqualTo(KeyMenu.Result.MOVED);
        assertThat(m.apply(Key.of('q'))).isEqualTo(KeyMenu.Result.MOVED);
        assertThat(m.selected()).isEqualTo(1);
        assertThat(m.lines(80).getLast()).doesNotContain("q goes back");
    }

    @Test
    void ctrlDEndsTheInput() {
        assertThat(menu(3).apply(Key.END_OF_INPUT)).isEqualTo(KeyMenu.Result.END_OF_INPUT);
    }

    @Test
    void linesMarkTheHighlightAndFitTheWidth() {
        KeyMenu m = new KeyMenu("Pick one \033]52;c;evil\007", List.of("short", "x".repeat(200)), Prompt.NO_BACK);
        m.apply(Key.DOWN);
        List<String> lines = m.lines(40);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("Pick one \\x1b]52").hasSizeLessThanOrEqualTo(39); // a name cannot drive the terminal
        assertThat(lines.get(1)).isEqualTo("  1) short");
        assertThat(lines.get(2)).isEqualTo("\033[7m> 2) " + "x".repeat(31) + "...\033[0m"); // 39 columns: none wraps
        assertThat(lines.get(3)).isEqualTo("Choose 1-2 (arrows move, Enter picks): ");
    }

    @Test
    void backMustBeOneOfTheChoices() {
        assertThatThrownBy(() -> new KeyMenu("t", ITEMS, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyMenu("t", List.of(), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
