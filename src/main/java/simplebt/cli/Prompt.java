package simplebt.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import simplebt.log.TerminalText;

/**
 * Asks the person at the keyboard: numbered choices, free text, yes/no, passwords. Works the
 * same with a terminal or with input piped in (then nothing is echoed specially), so the menu
 * can be driven by a script. On a terminal, choices also take the arrow keys (raw mode, see
 * {@link RawMode}); typed numbers work both ways. End of input is reported as {@link EndOfInput}.
 */
public final class Prompt {
    /** Standard input closed (Ctrl-D, or the script ran out of lines). */
    public static final class EndOfInput extends IOException {
        public EndOfInput() {
            super("end of input");
        }
    }

    /** For {@link #choose(String, List, int)}: a list without a Back item (Esc and q do nothing). */
    public static final int NO_BACK = -1;

    private final InputLines in;
    private final PrintStream out;
    private final boolean terminal;
    private final boolean keys;

    public Prompt(InputLines in, PrintStream out, boolean terminal) {
        this(in, out, terminal, false);
    }

    /** {@code keys}: both ends are a terminal, so choices take arrow keys in raw mode. */
    public Prompt(InputLines in, PrintStream out, boolean terminal, boolean keys) {
        this.in = in;
        this.out = out;
        this.terminal = terminal;
        this.keys = keys;
    }

    public static Prompt system() {
        boolean terminal = Terminal.isInteractive();
        return new Prompt(InputLines.start(System.in), System.out, terminal, terminal && Terminal.inputIsInteractive());
    }

    public InputLines input() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public boolean terminal() {
        return terminal;
    }

    /** Whether choices are read as keys (arrows, Enter) rather than typed lines. */
    public boolean keys() {
        return keys;
    }

    /** Shows numbered choices and returns the index picked (0-based); asks again on bad input. */
    public int choose(String title, List<String> choices) throws IOException {
        return choose(title, choices, NO_BACK);
    }

    /**
     * Numbered choices; {@code back} is the index of the item that Esc or q picks on a terminal
     * ({@link #NO_BACK} for none). On a terminal the arrow keys move a highlight and Enter picks;
     * typed numbers work everywhere, and piped input is read line by line as before.
     */
    public int choose(String title, List<String> choices, int back) throws IOException {
        if (back != NO_BACK && (back < 0 || back >= choices.size())) {
            throw new IllegalArgumentException("back item " + back + " of " + choices.size());
        }
        if (keys) {
            Optional<RawMode> raw = RawMode.enter();
            if (raw.isPresent()) {
                try (RawMode mode = raw.get()) {
                    return chooseByKeys(title, choices, back, mode.columns());
                }
            }
        }
        return chooseByLine(title, choices);
    }

    private int chooseByKeys(String title, List<String> choices, int back, int columns) throws IOException {
        KeyChoice choice = new KeyChoice(choices.size(), back != NO_BACK);
        out.println();
        LiveArea area = new LiveArea(out);
        area.draw(menuLines(title, choices, choice, columns));
        while (true) {
            KeyChoice.Result result = choice.apply(in.nextKey());
            if (result == KeyChoice.Result.BACK) {
                choice.select(back);
            }
            area.draw(menuLines(title, choices, choice, columns));
            if (result != KeyChoice.Result.MOVED) {
                area.end();
                if (result == KeyChoice.Result.END_OF_INPUT) {
                    throw new EndOfInput();
                }
                return choice.selected();
            }
        }
    }

    /** The title, one line per choice ("> 2) Download" highlighted), and the prompt line. */
    static List<String> menuLines(String title, List<String> choices, KeyChoice choice, int columns) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(ScreenText.fit(TerminalText.safe(title), columns));
        for (int i = 0; i < choices.size(); i++) {
            lines.add(ScreenText.marked((i + 1) + ") " + TerminalText.safe(choices.get(i)), i == choice.selected(), columns));
        }
        lines.add(ScreenText.fit(choice.promptLine(), columns));
        return lines;
    }

    private int chooseByLine(String title, List<String> choices) throws IOException {
        out.println();
        out.println(TerminalText.safe(title));
        for (int i = 0; i < choices.size(); i++) {
            out.printf("  %d) %s%n", i + 1, TerminalText.safe(choices.get(i)));
        }
        while (true) {
            String answer = ask("Choose 1-" + choices.size()).trim();
            for (int i = 0; i < choices.size(); i++) {
                if (answer.equalsIgnoreCase(choices.get(i))) {
                    return i;
                }
            }
            try {
                int n = Integer.parseInt(answer);
                if (n >= 1 && n <= choices.size()) {
                    return n - 1;
                }
            } catch (NumberFormatException e) {
                // fall through to the retry message
            }
            out.println("Please type a number from 1 to " + choices.size() + ".");
        }
    }

    /** Reads one line; {@code defaultValue} is used for an empty answer when present. */
    public String ask(String question, Optional<String> defaultValue) throws IOException {
        return read(question, defaultValue, true);
    }

    private String read(String question, Optional<String> defaultValue, boolean echo) throws IOException {
        out.print(TerminalText.safe(question + defaultValue.map(d -> " [" + d + "]").orElse("")) + ": ");
        out.flush();
        String line;
        try {
            line = in.next();
        } catch (EndOfInput e) {
            out.println();
            throw e;
        }
        if (!terminal) {
            out.println(echo ? line : ""); // piped input is not echoed: show it so a transcript reads well
        }
        line = line.strip();
        return line.isEmpty() && defaultValue.isPresent() ? defaultValue.get() : line;
    }

    public String ask(String question) throws IOException {
        return ask(question, Optional.empty());
    }

    /** A number from 1 to {@code max} (returned 0-based), asked until one is typed; empty for an empty answer (go back). */
    public java.util.OptionalInt askNumber(String question, int max) throws IOException {
        while (true) {
            String answer = ask(question);
            if (answer.isEmpty()) {
                return java.util.OptionalInt.empty();
            }
            try {
                int n = Integer.parseInt(answer);
                if (n >= 1 && n <= max) {
                    return java.util.OptionalInt.of(n - 1);
                }
            } catch (NumberFormatException e) {
                // fall through to the retry message
            }
            out.println("Please type a number from 1 to " + max + ".");
        }
    }

    /** Asks until the answer is not empty. */
    public String askNonEmpty(String question) throws IOException {
        while (true) {
            String answer = ask(question);
            if (!answer.isEmpty()) {
                return answer;
            }
            out.println("An answer is needed.");
        }
    }

    public boolean confirm(String question, boolean defaultYes) throws IOException {
        while (true) {
            String answer = ask(question + (defaultYes ? " [Y/n]" : " [y/N]"), Optional.empty()).toLowerCase(java.util.Locale.ROOT);
            if (answer.isEmpty()) {
                return defaultYes;
            }
            if (answer.equals("y") || answer.equals("yes")) {
                return true;
            }
            if (answer.equals("n") || answer.equals("no")) {
                return false;
            }
            out.println("Please answer y or n.");
        }
    }

    /**
     * Reads a password. On a terminal, echo is switched off with stty around the read (the
     * line still comes through the one stdin reader); piped input is read as is.
     */
    public String password(String question) throws IOException {
        if (!terminal) {
            return read(question, Optional.empty(), false);
        }
        boolean quiet = Stty.run("-echo").isPresent();
        try {
            out.print(question + ": ");
            out.flush();
            return in.next();
        } finally {
            if (quiet) {
                Stty.run("echo");
            }
            out.println();
        }
    }
}
