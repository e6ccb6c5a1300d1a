package simplebt.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * A block of lines at the bottom of a terminal, redrawn in place: the cursor goes back up to
 * the block's first line and the screen below is cleared before the new lines are written, so
 * a menu or a table refreshes without scrolling. The cursor stays at the end of the last line
 * (where a prompt waits). Lines must not wrap: callers cut them to the terminal's width.
 *
 * <p>Owned by the thread that draws.
 */
public final class LiveArea {
    private final PrintStream out;
    private int drawn;

    public LiveArea(PrintStream out) {
        this.out = out;
    }

    public void draw(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        sb.append('\r');
        if (drawn > 1) {
            sb.append("\033[").append(drawn - 1).append('A'); // CUU: up to the block's first line
        }
        sb.append("\033[J"); // ED 0: clear from here to the end of the screen
        for (int i = 0; i < lines.size(); i++) {
            sb.append(lines.get(i));
            if (i < lines.size() - 1) {
                sb.append('\n');
            }
        }
        out.print(sb);
        out.flush();
        drawn = lines.size();
    }

    /** Leaves the block as it is and moves to a fresh line below it. */
    public void end() {
        if (drawn > 0) {
            out.println();
        }
        drawn = 0;
    }
}
