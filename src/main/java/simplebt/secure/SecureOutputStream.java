package simplebt.secure;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Plaintext in, records out. Small writes are gathered into one record of up to 16 KiB; a full
 * record is sealed into a reusable batch buffer, and the batch goes to the socket in one write
 * when it holds {@value #BATCH_RECORDS} full records or on {@link #flush()}, which also ends the
 * current record (fewer, larger socket writes: loopback throughput depends on it). Writes of
 * 16 KiB or more while nothing is pending are sealed straight from the caller's array.
 *
 * <p>A lock serialises writers, like the JDK's buffered streams: it is this stream's own and
 * guards nothing else, so holding it during the socket write blocks only other writers.
 */
final class SecureOutputStream extends OutputStream {
    private final OutputStream wire;
    private final RecordCipher sealer;
    private final byte[] plain = new byte[RecordCipher.MAX_PLAINTEXT];
    /** 16 full records, about 256 KiB: the size of the plain path's BufferedOutputStream. */
    static final int BATCH_RECORDS = 16;

    private final byte[] batch = new byte[BATCH_RECORDS * RecordCipher.MAX_RECORD];
    private int batched;
    private final ReentrantLock lock = new ReentrantLock();
    private int pending;
    private IOException broken;
    private boolean closed;

    SecureOutputStream(OutputStream wire, RecordCipher sealer) {
        this.wire = wire;
        this.sealer = sealer;
    }

    @Override
    public void write(int b) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            plain[pending++] = (byte) b;
            if (pending == plain.length) {
                sealPending();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            ensureOpen();
            while (len > 0) {
                if (pending == 0 && len >= plain.length) {
                    send(b, off, plain.length);
                    off += plain.length;
                    len -= plain.length;
                    continue;
                }
                int n = Math.min(len, plain.length - pending);
                System.arraycopy(b, off, plain, pending, n);
                pending += n;
                off += n;
                len -= n;
                if (pending == plain.length) {
                    sealPending();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the current record (if any bytes are pending) and flushes the socket. */
    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            if (pending > 0) {
                sealPending();
            }
            sendBatch();
            wire.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is pending, then closes the underlying stream (for a socket: the socket). */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                if (broken == null) {
                    flush();
                }
            } finally {
                closed = true;
                wire.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private void sealPending() throws IOException {
        send(plain, 0, pending);
        pending = 0;
    }

    private void send(byte[] b, int off, int len) throws IOException {
        batched += sealer.seal(b, off, len, batch, batched);
        if (batch.length - batched < RecordCipher.MAX_RECORD) {
            sendBatch();
        }
    }

    private void sendBatch() throws IOException {
        if (batched == 0) {
            return;
        }
        try {
            wire.write(batch, 0, batched);
            batched = 0;
        } catch (IOException e) {
            // A record that may be half sent leaves the peer's counter out of step: refuse more.
            broken = e;
            throw e;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("secure stream closed");
        }
        if (broken != null) {
            throw new IOException("secure stream broken by an earlier error: " + broken.getMessage(), broken);
        }
    }
}
