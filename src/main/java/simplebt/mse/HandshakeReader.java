package simplebt.mse;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import simplebt.mse.MseException.Kind;

/**
 * Reads one side of an MSE handshake from a stream: exact reads, and the bounded search for a
 * synchronisation marker past a pad of unknown length. It reads ahead in chunks (not a byte at a
 * time), so it may take bytes that follow the handshake off the stream; {@link #leftover()} hands
 * them back untouched for the payload stream. Offsets count from the first byte this reader saw.
 * Every failure to read (end of stream, reset, a socket time-out) is an {@link MseException}
 * naming what was awaited. One thread.
 */
final class HandshakeReader {
    /** Enough for the longest search window (628 bytes) plus what follows it in one step. */
    private static final int BUFFER = 2048;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    /** Stream offset of {@code buf[0]}. */
    private long base;
    private int pos;
    private int limit;

    HandshakeReader(InputStream in) {
        this.in = in;
    }

    /** Stream offset of the next byte to be consumed. */
    long position() {
        return base + pos;
    }

    /** Exactly {@code n} bytes (n may exceed the buffer: the IA block can be up to 65535 bytes). */
    byte[] read(int n, String what) throws MseException {
        byte[] out = new byte[n];
        int got = Math.min(n, limit - pos);
        System.arraycopy(buf, pos, out, 0, got);
        pos += got;
        while (got < n) {
            int r = fill(out, got, n - got, what);
            got += r;
            base += r; // consumed straight from the stream, never buffered
        }
        return out;
    }

    /**
     * Finds {@code marker} so that it ends at stream offset {@code maxEnd} at the latest, and
     * consumes everything up to and including it. Returns how many bytes came before it (the pad).
     */
    int sync(byte[] marker, long maxEnd, String what) throws MseException {
        long start = position();
        while (true) {
            int end = (int) Math.min(limit, maxEnd - base);
            int at = indexOf(marker, pos, end);
            if (at >= 0) {
                int skipped = at - pos;
                pos = at + marker.length;
                return skipped;
            }
            if (base + limit >= maxEnd) {
                throw new MseException(Kind.NO_SYNC, what + " not found within " + (maxEnd - start) + " bytes");
            }
            if (limit == buf.length) { // keep what is unread; the window always fits the buffer
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                base += pos;
                limit -= pos;
                pos = 0;
            }
            limit += fill(buf, limit, buf.length - limit, what);
        }
    }

    /** Bytes read off the stream past the handshake, not yet consumed; they belong to the payload. */
    byte[] leftover() {
        return Arrays.copyOfRange(buf, pos, limit);
    }

    private int indexOf(byte[] marker, int from, int end) {
        for (int i = from; i + marker.length <= end; i++) {
            if (Arrays.equals(buf, i, i + marker.length, marker, 0, marker.length)) {
                return i;
            }
        }
        return -1;
    }

    private int fill(byte[] b, int off, int len, String what) throws MseException {
        int r;
        try {
            r = in.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw new MseException(Kind.INCOMPLETE, "timed out waiting for " + what);
        } catch (IOException e) {
            throw new MseException(Kind.INCOMPLETE, "connection failed waiting for " + what + " (" + e.getMessage() + ")");
        }
        if (r < 0) {
            throw new MseException(Kind.INCOMPLETE, "peer closed the connection before " + what);
        }
        return r;
    }
}
