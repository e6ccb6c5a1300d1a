package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The menu on a real terminal (a pseudo-terminal from util-linux {@code script}): arrow keys,
 * digits, Enter and Esc drive it, and the terminal's settings ({@code stty -g}) are the same
 * after the node ends as before it started, whether it ends through Exit, Ctrl-C (SIGINT from
 * the terminal, handled by System.exit and the shutdown hook) or Ctrl-D read in raw mode (the
 * end of input thrown out of the key reader).
 */
class MenuRawModeIT {
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Pattern STTY = Pattern.compile("(?m)^[0-9a-f]+(?::[0-9a-f]+){10,}\\r?$");
    private static final Pattern EXIT = Pattern.compile("exit=(\\d+)");

    @Test
    void arrowsAndEnterPickExit(@TempDir Path tmp) throws Exception {
        try (Pty pty = Pty.start(tmp)) {
            pty.await("Choose 1-4", 0);
            pty.send("\033[B\033[B\033[B"); // Down three times: Exit
            pty.await("\033[7m> 4) Exit", 0);
            pty.send("\r");
            pty.finish(0);
            assertThat(pty.output()).contains("Bye.");
        }
    }

    @Test
    void digitsPickAndEscapeBacksOutOfSettings(@TempDir Path tmp) throws Exception {
        try (Pty pty = Pty.start(tmp)) {
            pty.await("Choose 1-4", 0);
            pty.send("3\r");
            int at = pty.await("Choose 1-8 (arrows move, Enter picks, q goes back)", 0);
            pty.send("\033");
            pty.await("Choose 1-4", at);
            pty.send("4\r");
            pty.finish(0);
        }
    }

    @Test
    void ctrlCRestoresTheTerminal(@TempDir Path tmp) throws Exception {
        try (Pty pty = Pty.start(tmp)) {
            pty.await("Choose 1-4", 0);
            pty.send("\003"); // the terminal turns it into SIGINT for the node
            pty.finish(130);
        }
    }

    @Test
    void ctrlDInRawModeRestoresTheTerminal(@TempDir Path tmp) throws Exception {
        try (Pty pty = Pty.start(tmp)) {
            pty.await("Choose 1-4", 0);
            pty.send("\004");
            pty.finish(0);
        }
    }

    /** The node menu under {@code script}, between two {@code stty -g} of the same terminal. */
    private static final class Pty implements AutoCloseable {
        private final MenuProcesses.Piped piped;

        private Pty(Process process) {
            this.piped = new MenuProcesses.Piped(process);
        }

        static Pty start(Path tmp) throws IOException {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")),
                    "util-linux script not installed: skipping the raw-mode terminal test");
            // trap with a command (not '') so the shell outlives Ctrl-C and runs the second stty,
            // while the node starts with SIGINT at its default, as from a login shell.
            String command = "trap true INT; stty -g; " + MenuProcesses.JAVA + " -jar "
                    + MenuProcesses.HOME.resolve("node.jar") + "; echo exit=$?; stty -g";
            ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", command, "/dev/null")
                    .directory(Files.createDirectories(tmp.resolve("work")).toFile()).redirectErrorStream(true);
            pb.environment().put("SHELL", "/bin/sh");
            pb.environment().put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("config")).toString());
            pb.environment().remove("SIMPLEBT_TTY");
            return new Pty(pb.start());
        }

        String output() {
            return piped.output();
        }

        /** Waits for {@code text} at or after {@code from}; returns where it ends. */
        int await(String text, int from) throws InterruptedException {
            piped.await(text, STEP, from);
            return output().indexOf(text, from) + text.length();
        }

        void send(String bytes) throws IOException {
            OutputStream keys = piped.process.getOutputStream();
            keys.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            keys.flush();
        }

        /** The node ended with {@code code}, and the terminal's settings are as they were before it. */
        void finish(int code) throws Exception {
            assertThat(piped.exit(STEP)).isZero(); // script -e: the shell's status, which the last stty sets
            String screen = output();
            Matcher exit = EXIT.matcher(screen);
            assertThat(exit.find()).as("exit line in:\n" + screen).isTrue();
            assertThat(Integer.parseInt(exit.group(1))).isEqualTo(code);
            List<String> settings = STTY.matcher(screen).results().map(m -> m.group().strip()).toList();
            assertThat(settings).as("stty -g before and after in:\n" + screen).hasSize(2);
            assertThat(settings.get(1)).isEqualTo(settings.get(0));
            assertThat(screen).doesNotContain("Exception");
        }

        @Override
        public void close() throws InterruptedException {
            Process process = piped.process;
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
