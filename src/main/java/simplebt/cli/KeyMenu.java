package simplebt.cli;

import java.util.ArrayList;
import java.util.List;

import simplebt.log.TerminalText;

/**
 * A numbered list of choices driven by keys: Up/Down move the highlight (wrapping), Home/End
 * jump, digits move to that number (several digits for long lists; Backspace takes one back),
 * Enter picks the highlighted item, Esc or q pick the Back item when the list has one. No I/O:
 * {@link Prompt} feeds it keys and draws {@link #lines()}.
 *
 * <p>Owned by the thread that reads the keys.
 */
public final class KeyMenu {
    /** What a key did. */
    public enum Result { MOVED, PICKED, END_OF_INPUT }

    private final String title;
    private final List<String> choices;
    private final int back;
    private int selected;
    private String typed = "";
    private String message = "";

    /** {@code back} is the index Esc/q picks, or -1 when nothing backs out of this list. */
    public KeyMenu(String title, List<String> choices, int back) {
        if (choices.isEmpty() || back < -1 || back >= choices.size()) {
            throw new IllegalArgumentException("choices " + choices.size() + ", back " + back);
        }
        this.title = title;
        this.choices = List.copyOf(choices);
        this.back = back;
    }

    public int selected() {
        return selected;
    }

    public Result apply(Key key) {
        message = "";
        int n = choices.size();
        switch (key.kind()) {
            case UP -> move((selected + n - 1) % n);
            case DOWN -> move((selected + 1) % n);
            case HOME, PAGE_UP -> move(0);
            case END, PAGE_DOWN -> move(n - 1);
            case ENTER -> {
                return Result.PICKED;
            }
            case ESCAPE -> {
                return backOut();
            }
            case BACKSPACE -> typed = typed.isEmpty() ? "" : typed.substring(0, typed.length() - 1);
            case END_OF_INPUT -> {
                return Result.END_OF_INPUT;
            }
            case CHAR -> {
                if (key.isDigit()) {
                    digit(key.ch());
                } else if (key.ch() == 'q' || key.ch() == 'Q') {
                    return backOut();
                }
            }
            default -> {
                // keys with no meaning here (Left/Right, F-keys) do nothing
            }
        }
        return Result.MOVED;
    }

    private Result backOut() {
        if (back < 0) {
            return Result.MOVED;
        }
        selected = back;
        typed = "";
        return Result.PICKED;
    }

    private void move(int to) {
        selected = to;
        typed = "";
    }

    private void digit(char d) {
        String number = typed + d;
        int value = Integer.parseInt(number);
        if (value >= 1 && value <= choices.size()) {
            typed = number;
            selected = value - 1;
        } else {
            typed = "";
            message = "Please type a number from 1 to " + choices.size() + ".";
        }
    }

    /**
     * What to show: the title, one line per choice (the highlighted one marked with "> " and in
     * reverse video), then the prompt line with the digits typed so far. Each line is cut to
     * {@code columns - 1} characters so none wraps.
     */
    public List<String> lines(int columns) {
        List<String> lines = new ArrayList<>();
        lines.add(fit(TerminalText.safe(title), columns));
        for (int i = 0; i < choices.size(); i++) {
            String text = fit((i == selected ? "> " : "  ") + (i + 1) + ") " + TerminalText.safe(choices.get(i)), columns);
            lines.add(i == selected ? "\033[7m" + text + "\033[0m" : text);
        }
        String hint = "Choose 1-" + choices.size() + " (arrows move, Enter picks" + (back >= 0 ? ", q goes back" : "") + "): ";
        lines.add(fit((message.isEmpty() ? "" : message + " ") + hint + typed, columns));
        return lines;
    }

    private static String fit(String line, int columns) {
        int max = Math.max(columns - 1, 10);
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }
}
