package simplebt.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * Several live status lines, one per torrent: on a terminal the block is redrawn in place (the
 * cursor goes back up over it) at most twice a second; otherwise the lines are printed as plain
 * lines every few seconds, so a log file gets a periodic snapshot and never floods.
 *
 * <p>Not thread-safe: one status loop draws it.
 */
public final class StatusBlock {
    private final PrintStream out;
    private final boolean tty;
    private final long intervalNanos;
    private long last;
    private int drawnLines;
    private boolean drawnOnce;

    public StatusBlock(PrintStream out, boolean tty, long plainIntervalNanos) {
        this.out = out;
        this.tty = tty;
        this.intervalNanos = tty ? 500_000_000L : plainIntervalNanos;
    }

    /** Draws the lines unless the last drawing is too recent. */
    public void show(List<String> lines) {
        show(() -> lines);
    }

    /**
     * As {@link #show(List)}, but the lines are made only when they are drawn: a node serving
     * 500 torrents made 500 status lines (and statuses) every second for a log that prints them
     * once a minute, a third of what it allocated while idle.
     */
    public void show(Supplier<List<String>> lines) {
        if (drawnOnce && System.nanoTime() - last < intervalNanos) {
            return;
        }
        showNow(lines.get());
    }

    /** Draws the lines whenever the last drawing was (the final state, before {@link #end}). */
    public void showNow(List<String> lines) {
        long now = System.nanoTime();
        last = now;
        drawnOnce = true;
        if (!tty) {
            lines.forEach(out::println);
            out.flush();
            return;
        }
        StringBuilder sb = new StringBuilder("\r");
        if (drawnLines > 1) {
            sb.append("\033[").append(drawnLines - 1).append('A'); // back to the block's first line
        }
        for (int i = 0; i < Math.max(lines.size(), drawnLines); i++) {
            sb.append("\033[K").append(i < lines.size() ? lines.get(i) : "");
            if (i + 1 < Math.max(lines.size(), drawnLines)) {
                sb.append('\n');
            }
        }
        drawnLines = Math.max(lines.size(), drawnLines);
        out.print(sb);
        out.flush();
    }

    /** Ends the block so the next output starts on a fresh line. */
    public void end() {
        if (tty && drawnLines > 0) {
            out.println();
        }
        drawnLines = 0;
        drawnOnce = false;
    }
}
