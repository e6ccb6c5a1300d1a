package simplebt.cli;

import simplebt.log.Log;
import java.io.PrintStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One progress display for hashing, checking and transfers. On a terminal it redraws one line
 * in place at most ten times a second; otherwise it prints a plain line every few seconds, so
 * a log file never floods. Safe to update from several threads.
 */
public final class ProgressBar {
    private static final long TTY_INTERVAL_NANOS = 100_000_000L;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean tty;
    private final boolean silent;
    private final long startNanos = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock();
    private long lastDraw;
    private long lastDone;
    private long lastRateNanos = startNanos;
    private double rate;
    private boolean finished;

    public ProgressBar(String label, long total) {
        this(label, total, System.out, Terminal.isInteractive(), Log.isQuiet());
    }

    public ProgressBar(String label, long total, PrintStream out, boolean tty, boolean silent) {
        this.label = label;
        this.total = Math.max(0, total);
        this.out = out;
        this.tty = tty;
        this.silent = silent;
    }

    public void update(long done) {
        update(done, "");
    }

    /** @param extra a short suffix such as "peers 4" */
    public void update(long done, String extra) {
        if (silent || !lock.tryLock()) {
            return; // another thread is drawing; the next update will catch up
        }
        try {
            long now = System.nanoTime();
            if (finished || now - lastDraw < (tty ? TTY_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
                return;
            }
            updateRate(done, now);
            lastDraw = now;
            draw(done, extra, false);
        } finally {
            lock.unlock();
        }
    }

    /** Draws the final state once; later updates are ignored. */
    public void finish(long done, String extra) {
        if (silent) {
            return;
        }
        lock.lock();
        try {
            if (finished) {
                return;
            }
            finished = true;
            double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
            rate = done / seconds;
            draw(done, extra, true);
            if (tty) {
                out.println();
            }
        } finally {
            lock.unlock();
        }
    }

    private void updateRate(long done, long now) {
        double dt = (now - lastRateNanos) / 1e9;
        if (dt >= 0.5 || rate == 0) {
            double instant = dt > 0 ? (done - lastDone) / dt : 0;
            rate = rate == 0 ? instant : 0.6 * instant + 0.4 * rate;
            lastDone = done;
            lastRateNanos = now;
        }
    }

    private void draw(long done, String extra, boolean last) {
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        long eta = rate > 0 ? (long) ((total - done) / rate) : -1;
        String percent = Units.oneDecimal(fraction * 100); // by hand: see Units on String.format
        String text = label + " " + " ".repeat(Math.max(0, 5 - percent.length())) + percent + "%  "
                + Units.bytes(done) + " / " + Units.bytes(total) + "  " + Units.rate(rate) + "  "
                + (last ? "in " + Units.duration((System.nanoTime() - startNanos) / 1_000_000_000L) : "ETA " + Units.duration(eta))
                + (extra.isEmpty() ? "" : "  " + extra);
        if (tty) {
            int filled = (int) (fraction * WIDTH);
            out.print("\r\033[K[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + text);
        } else {
            out.println(text);
        }
        out.flush();
    }
}
