package simplebt.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@code stty} on the controlling terminal. The JDK cannot change terminal modes, so echo
 * off (passwords) and raw mode (arrow keys) go through the standard tool, with /dev/tty as its
 * input so it acts on the terminal even when our own stdin is something else.
 */
final class Stty {
    private static final File TTY = new File("/dev/tty");

    private Stty() {
    }

    /** stty's output (without the trailing newline), or empty when there is no terminal or stty failed. */
    static Optional<String> run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("stty"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return p.waitFor() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
