package simplebt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard output (and input) is a terminal, so progress can redraw in place. */
public final class Terminal {
    private Terminal() {
    }

    /**
     * On JDK 22+ {@code System.console()} is non-null even when output is redirected, so on
     * Linux we look at what fd 1 really is; elsewhere we fall back to the console check.
     */
    public static boolean isInteractive() {
        String forced = System.getenv("SIMPLEBT_TTY");
        if (forced != null) {
            return forced.equals("1");
        }
        return isTty(1);
    }

    /** Whether standard input is a terminal, so a menu can read single keys from it in raw mode. */
    public static boolean inputIsInteractive() {
        return isTty(0);
    }

    private static boolean isTty(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }
}
