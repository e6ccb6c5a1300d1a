package simplebt.cli;

import java.io.PrintStream;

/**
 * A one-line live status ("peers 3  up 1.2 MiB/s ..."): redrawn in place on a terminal at most
 * twice a second, printed as a plain line every few seconds otherwise.
 */
public final class StatusLine {
    private final PrintStream out;
    private final boolean tty;
    private final long intervalNanos;
    private long last;
    private boolean drawn;

    public StatusLine(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
        this.intervalNanos = tty ? 500_000_000L : 5_000_000_000L;
    }

    public void show(String text) {
        long now = System.nanoTime();
        if (drawn && now - last < intervalNanos) {
            return;
        }
        last = now;
        drawn = true;
        if (tty) {
            out.print("\r\033[K" + text);
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Ends the in-place line so the next output starts on a fresh one. */
    public void end() {
        if (tty && drawn) {
            out.println();
        }
        drawn = false;
    }
}
