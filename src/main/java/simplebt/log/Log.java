package simplebt.log;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The one logger: info lines for people, debug lines (with time and thread) only when
 * {@code --debug} is on. Errors meant for users are one line, never a stack trace, unless
 * debug is on.
 */
public final class Log {
    private static volatile boolean debug;
    private static volatile boolean quiet;
    private static volatile PrintStream err = System.err;

    private Log() {
    }

    /**
     * The debug lines' time format, built on the first debug line: parsing a pattern on a cold
     * JVM takes milliseconds that every run (`create` included) paid in Log's set-up, debug or not.
     */
    private static final class Time {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    }

    public static void setDebug(boolean on) {
        debug = on;
    }

    public static void setQuiet(boolean on) {
        quiet = on;
    }

    public static void setDebugStream(PrintStream stream) {
        err = stream;
    }

    public static boolean isDebug() {
        return debug;
    }

    public static boolean isQuiet() {
        return quiet;
    }

    public static void info(String message) {
        if (!quiet) {
            System.out.println(TerminalText.safe(Redaction.apply(message)));
        }
    }

    public static void warn(String message) {
        System.err.println("warning: " + TerminalText.safe(Redaction.apply(message)));
    }

    public static void debug(String message) {
        if (debug) {
            err.println(LocalTime.now().format(Time.FORMAT) + " [" + Thread.currentThread().getName() + "] "
                    + TerminalText.safe(Redaction.apply(message)));
        }
    }

    public static void debug(String message, Throwable t) {
        if (debug) {
            debug(message + ": " + t);
            java.io.StringWriter trace = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(trace));
            err.print(Redaction.apply(trace.toString())); // exception messages may quote a URL
        }
    }
}
