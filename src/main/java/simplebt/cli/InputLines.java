package simplebt.cli;

import simplebt.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Standard input, read by one daemon thread, handed out as lines or as keys. The menu waits for
 * either an answer or something else (a finished transfer, Ctrl-C) without leaving a second
 * reader blocked on stdin that would later swallow the person's next answer. Lines and keys
 * come from the same bytes, so what is typed ahead while a menu switches between raw mode
 * (keys) and line mode is never lost.
 *
 * <p>Threads: the "stdin" thread only adds chunks to {@link #chunks}. Everything else
 * ({@link #pending}, {@link #decoder}, {@link #keys}) belongs to the one thread that reads
 * answers, the menu's.
 */
public final class InputLines {
    private static final byte[] EOF = new byte[0]; // identity marker, never a real chunk
    /** How long a lone ESC waits for the rest of a sequence; terminals send one in a single write. */
    private static final Duration ESC_WAIT = Duration.ofMillis(60);

    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] pending = new byte[0];
    private int pos;
    private boolean skipLf;
    private boolean atEnd;
    private final KeyDecoder decoder = new KeyDecoder();
    private final ArrayDeque<Key> keys = new ArrayDeque<>();
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
        byte[] buffer = new byte[4096];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (n > 0) {
                    chunks.add(Arrays.copyOf(buffer, n));
                }
            }
        } catch (IOException e) {
            Log.debug("stdin closed: " + e);
        }
        chunks.add(EOF);
    }

    /** The next line; throws {@link Prompt.EndOfInput} once input has ended. */
    public String next() throws IOException {
        return poll(null).orElseThrow();
    }

    /**
     * A line if one arrives within {@code wait} (forever when null); empty otherwise. Lines end
     * with LF, CR or CR LF, as {@link java.io.BufferedReader#readLine()} reads them; a last
     * line without an end is still a line.
     */
    public Optional<String> poll(Duration wait) throws IOException {
        long deadline = wait == null ? Long.MAX_VALUE : System.nanoTime() + wait.toNanos();
        keys.clear(); // keys decoded but not taken belonged to a menu that has finished
        while (true) {
            for (int i = pos; i < pending.length; i++) {
                byte b = pending[i];
                if (skipLf && i == pos && b == '\n') {
                    pos++;
                    skipLf = false;
                    continue;
                }
                skipLf = false;
                if (b == '\n' || b == '\r') {
                    String line = new String(pending, pos, i - pos, StandardCharsets.UTF_8);
                    pos = i + 1;
                    skipLf = b == '\r';
                    return Optional.of(line);
                }
            }
            if (atEnd && pos < pending.length) {
                String line = new String(pending, pos, pending.length - pos, StandardCharsets.UTF_8);
                pos = pending.length;
                return Optional.of(line);
            }
            if (!fill(deadline)) {
                return Optional.empty();
            }
        }
    }

    /** The next key; throws {@link Prompt.EndOfInput} once input has ended. */
    public Key nextKey() throws IOException {
        return pollKey(null).orElseThrow();
    }

    /** A key if one is pressed within {@code wait} (forever when null); empty otherwise. */
    public Optional<Key> pollKey(Duration wait) throws IOException {
        long deadline = wait == null ? Long.MAX_VALUE : System.nanoTime() + wait.toNanos();
        while (keys.isEmpty()) {
            if (pos < pending.length) {
                keys.addAll(decoder.feed(pending[pos++]));
                continue;
            }
            if (decoder.midSequence()) {
                if (!fill(System.nanoTime() + ESC_WAIT.toNanos())) {
                    decoder.idle().ifPresent(keys::add);
                }
                continue;
            }
            if (!fill(deadline)) {
                return Optional.empty();
            }
        }
        return Optional.of(keys.poll());
    }

    /** Waits until {@code deadline} for more bytes; false on time-out; throws at the end of input. */
    private boolean fill(long deadline) throws IOException {
        if (atEnd) {
            ended = true;
            throw new Prompt.EndOfInput();
        }
        byte[] chunk;
        try {
            long left = deadline - System.nanoTime();
            chunk = deadline == Long.MAX_VALUE ? chunks.take() : left <= 0 ? chunks.poll() : chunks.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        }
        if (chunk == null) {
            return false;
        }
        if (chunk == EOF) {
            atEnd = true;
            return true; // the caller returns a last unfinished line before the end is reported
        }
        byte[] joined = Arrays.copyOf(Arrays.copyOfRange(pending, pos, pending.length), pending.length - pos + chunk.length);
        System.arraycopy(chunk, 0, joined, pending.length - pos, chunk.length);
        pending = joined;
        pos = 0;
        return true;
    }

    public boolean ended() {
        return ended;
    }
}
