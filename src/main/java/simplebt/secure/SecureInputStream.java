package simplebt.secure;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import simplebt.log.Log;

/**
 * Records in, plaintext out. Reads from the socket into one reusable buffer (several records
 * at a time when they are there), opens each record into a second reusable buffer, and hands
 * out its bytes. A record that fails authentication (or has an impossible length) ends the
 * stream for good and closes the underlying connection.
 *
 * <p>A socket read timeout ({@code SocketTimeoutException}) leaves the stream intact: the
 * caller may read again. The end of the stream between records is a normal end (-1); inside a
 * record it is an EOFException.
 */
final class SecureInputStream extends InputStream {
    /** About 256 KiB, like the plain path's BufferedInputStream: fewer, larger socket reads. */
    private static final int WIRE_BUFFER = 16 * RecordCipher.MAX_RECORD;

    private final InputStream wire;
    private final RecordCipher opener;
    private final byte[] buf = new byte[WIRE_BUFFER];
    private int start;
    private int end;
    private final byte[] plain = new byte[RecordCipher.MAX_PLAINTEXT];
    private int pStart;
    private int pEnd;
    private IOException failed;

    SecureInputStream(InputStream wire, RecordCipher opener) {
        this.wire = wire;
        this.opener = opener;
    }

    @Override
    public int read() throws IOException {
        if (pStart == pEnd && nextRecord(plain, 0, 0) == 0 && pStart == pEnd) {
            return -1;
        }
        return plain[pStart++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (pStart == pEnd) {
            // A caller with room for a whole record gets it opened straight into its array.
            int n = nextRecord(b, off, len);
            if (n != 0) {
                return n;
            }
            if (pStart == pEnd) {
                return -1;
            }
        }
        int n = Math.min(len, pEnd - pStart);
        System.arraycopy(plain, pStart, b, off, n);
        pStart += n;
        return n;
    }

    /** Plaintext already opened and waiting; never blocks. */
    @Override
    public int available() {
        return pEnd - pStart;
    }

    @Override
    public void close() throws IOException {
        wire.close();
    }

    /**
     * Reads and opens the next record. If its plaintext fits in {@code b[off, off+room)} it goes
     * there and its length is returned; otherwise it goes to the internal buffer and 0 is
     * returned. At a clean end of stream, returns 0 with the internal buffer still empty.
     */
    private int nextRecord(byte[] b, int off, int room) throws IOException {
        if (failed != null) {
            throw failed;
        }
        try {
            if (!fill(RecordCipher.HEADER_LENGTH)) {
                if (end == start) {
                    return 0;
                }
                throw new EOFException("connection ended inside a record header");
            }
            int ctLen = RecordCipher.ciphertextLength(buf, start);
            int total = RecordCipher.HEADER_LENGTH + ctLen;
            if (!fill(total)) {
                throw new EOFException("connection ended inside a record");
            }
            int n;
            if (ctLen - RecordCipher.TAG_LENGTH <= room) {
                n = opener.open(buf, start, b, off);
            } else {
                pEnd = opener.open(buf, start, plain, 0);
                pStart = 0;
                n = 0;
            }
            start += total;
            return n;
        } catch (SecureChannelException e) {
            // Never read past a record that failed: close the connection (issue 7) and say why.
            failed = e;
            Log.debug("secure: closing connection: " + e.getMessage());
            try {
                wire.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Makes sure {@code n} bytes starting at {@code start} are buffered; false on end of stream. */
    private boolean fill(int n) throws IOException {
        if (start == end) {
            start = end = 0;
        } else if (buf.length - start < n) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < n) {
            int r = wire.read(buf, end, buf.length - end);
            if (r < 0) {
                return false;
            }
            end += r;
        }
        return true;
    }
}
