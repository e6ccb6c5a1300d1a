package simplebt.cli;

import simplebt.log.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Standard input as a queue of lines, read by one daemon thread. The menu waits for either a
 * line or something else (a finished transfer, Ctrl-C) without leaving a second reader blocked
 * on stdin that would later swallow the person's next answer.
 */
public final class InputLines {
    private static final String EOF = new String("<eof>"); // identity marker, never equal to a real line

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    private InputLines() {
    }

    public static InputLines start(InputStream in) {
        InputLines input = new InputLines();
        Thread reader = new Thread(() -> input.pump(in), "stdin");
        reader.setDaemon(true); // owned by the process: it ends with it, blocked in read or not
        reader.start();
        return input;
    }

    private void pump(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            Log.debug("stdin closed: " + e);
        }
        lines.add(EOF);
    }

    /** The next line; throws {@link Prompt.EndOfInput} once input has ended. */
    public String next() throws IOException {
        try {
            return unwrap(lines.take());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for input");
        }
    }

    /** A line if one arrives within {@code wait}; empty otherwise. */
    public Optional<String> poll(Duration wait) throws IOException {
        try {
            String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            return line == null ? Optional.empty() : Optional.of(unwrap(line));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for input");
        }
    }

    @SuppressWarnings("StringEquality")
    private String unwrap(String line) throws Prompt.EndOfInput {
        if (line == EOF) {
            ended = true;
            lines.add(EOF); // keep reporting the end to later callers
            throw new Prompt.EndOfInput();
        }
        return line;
    }

    public boolean ended() {
        return ended;
    }
}
