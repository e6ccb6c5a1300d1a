package simplebt.cli;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The terminal in raw mode while a menu reads single keys: no line buffering (a key arrives
 * when it is pressed), no echo. Signals stay on, so Ctrl-C still interrupts. The settings
 * saved on entry ({@code stty -g}) are put back by {@link #close()}, and by a shutdown hook
 * when the program ends inside (Ctrl-C ends it with System.exit, SIGTERM too), so a shell
 * never inherits a terminal that neither echoes nor edits lines.
 *
 * <p>Thread use: entered and closed by the menu thread; the shutdown hook may run on another
 * thread at the same time, so the restore happens once, guarded by {@link #restored}.
 */
public final class RawMode implements AutoCloseable {
    private final String saved;
    private final int rows;
    private final int columns;
    private final AtomicBoolean restored = new AtomicBoolean();
    private final Thread hook;

    private RawMode(String saved, int[] size) {
        this.saved = saved;
        this.rows = size[0];
        this.columns = size[1];
        this.hook = new Thread(this::restore, "restore-terminal");
    }

    /** Raw mode, or empty when the terminal's settings cannot be read or changed (no terminal, no stty). */
    public static Optional<RawMode> enter() {
        // -g prints the settings as one token of hex fields; check that before handing it back to stty.
        Optional<String> saved = Stty.run("-g").filter(s -> s.matches("[0-9A-Fa-f:]+"));
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        RawMode mode = new RawMode(saved.get(), terminalSize());
        Runtime.getRuntime().addShutdownHook(mode.hook);
        // min 1 time 0: a read returns as soon as one byte is there, and waits for it otherwise.
        if (Stty.run("-icanon", "-echo", "min", "1", "time", "0").isEmpty()) {
            mode.close();
            return Optional.empty();
        }
        return Optional.of(mode);
    }

    /** The terminal's width, so a redrawn line never wraps (which would throw off the cursor moves). */
    public int columns() {
        return columns;
    }

    /** The terminal's height: a block redrawn in place must fit on the screen, or the cursor cannot get back up to it. */
    public int rows() {
        return rows;
    }

    private static int[] terminalSize() {
        // "stty size" prints "ROWS COLUMNS"; 24 x 80 when it cannot tell (a terminal that reports 0 0).
        return Stty.run("size").map(s -> s.split(" "))
                .filter(a -> a.length == 2 && a[0].matches("[1-9][0-9]{0,4}") && a[1].matches("[1-9][0-9]{0,4}"))
                .map(a -> new int[] {Integer.parseInt(a[0]), Integer.parseInt(a[1])}).orElse(new int[] {24, 80});
    }

    private void restore() {
        if (restored.compareAndSet(false, true)) {
            Stty.run(saved);
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs (or ran) and finds the work done
        }
    }
}
