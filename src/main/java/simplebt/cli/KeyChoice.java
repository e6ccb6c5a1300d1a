package simplebt.cli;

/**
 * Which of {@code count} numbered items is highlighted, driven by keys: Up/Down move (wrapping),
 * Home/End jump, digits move to that number (several digits for long lists; Backspace takes
 * one back), Enter picks the highlighted item, Esc or q back out where backing out is allowed.
 * No I/O and no drawing: a menu ({@link Prompt}) or a live table feeds it keys and draws the
 * highlight and {@link #promptLine()}. The count may change between keys (a table whose rows
 * come and go).
 *
 * <p>Owned by the thread that reads the keys.
 */
public final class KeyChoice {
    /** What a key did. */
    public enum Result { MOVED, PICKED, BACK, END_OF_INPUT }

    private final boolean canGoBack;
    private int count;
    private int selected;
    private String typed = "";
    private String message = "";

    public KeyChoice(int count, boolean canGoBack) {
        this.canGoBack = canGoBack;
        count(count);
    }

    /** Sets the number of items; the highlight stays where it was, or on the last item. */
    public void count(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("count " + n);
        }
        count = n;
        selected = Math.max(0, Math.min(selected, n - 1));
    }

    public int selected() {
        return selected;
    }

    /** Puts the highlight on an item (the Back item of a menu, after Esc). */
    public void select(int index) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("item " + index + " of " + count);
        }
        move(index);
    }

    public Result apply(Key key) {
        message = "";
        switch (key.kind()) {
            case UP -> move(count == 0 ? 0 : (selected + count - 1) % count);
            case DOWN -> move(count == 0 ? 0 : (selected + 1) % count);
            case HOME, PAGE_UP -> move(0);
            case END, PAGE_DOWN -> move(Math.max(0, count - 1));
            case ENTER -> {
                return count == 0 ? Result.MOVED : Result.PICKED;
            }
            case ESCAPE -> {
                return canGoBack ? Result.BACK : Result.MOVED;
            }
            case BACKSPACE -> typed = typed.isEmpty() ? "" : typed.substring(0, typed.length() - 1);
            case END_OF_INPUT -> {
                return Result.END_OF_INPUT;
            }
            case CHAR -> {
                if (key.isDigit()) {
                    digit(key.ch());
                } else if ((key.ch() == 'q' || key.ch() == 'Q') && canGoBack) {
                    return Result.BACK;
                }
            }
            default -> {
                // keys with no meaning here (Left/Right, F-keys) do nothing
            }
        }
        return Result.MOVED;
    }

    private void move(int to) {
        selected = to;
        typed = "";
    }

    private void digit(char d) {
        String number = typed + d;
        int value = Integer.parseInt(number);
        if (value >= 1 && value <= count) {
            typed = number;
            selected = value - 1;
        } else {
            typed = "";
            message = count == 0 ? "Nothing to choose." : "Please type a number from 1 to " + count + ".";
        }
    }

    /** The line under the items: what to press, the digits typed so far, and a complaint about the last one. */
    public String promptLine() {
        String keys = count == 0 ? "(" + (canGoBack ? "q goes back" : "nothing to choose") + "): "
                : "Choose 1-" + count + " (arrows move, Enter picks" + (canGoBack ? ", q goes back" : "") + "): ";
        return (message.isEmpty() ? "" : message + " ") + keys + typed;
    }
}
