package simplebt.cli;

/** Lines for an in-place screen ({@link LiveArea}): cut to the terminal's width, the picked one highlighted. */
public final class ScreenText {
    private ScreenText() {
    }

    /**
     * The line cut to {@code columns - 1} characters (ending "..."), so it never wraps: a
     * wrapped line would throw off the cursor moves that redraw the block. Only for text
     * without escape sequences (they would count as characters).
     */
    public static String fit(String line, int columns) {
        int max = Math.max(columns - 1, 10);
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }

    /** "> " and reverse video (SGR 7) for the highlighted line, two spaces before the others; then cut to fit. */
    public static String marked(String line, boolean highlighted, int columns) {
        String text = fit((highlighted ? "> " : "  ") + line, columns);
        return highlighted ? "\033[7m" + text + "\033[0m" : text;
    }
}
