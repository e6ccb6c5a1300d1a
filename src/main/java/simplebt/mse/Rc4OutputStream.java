package simplebt.mse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A buffered output stream that encrypts while it copies into its buffer (no extra pass over the
 * data, the caller's array is never changed), and writes the buffer when it is full or on
 * {@link #flush()}. {@code lock} guards {@code buf}, {@code count} and the RC4 state, so writers on
 * several threads keep the keystream in step with the bytes on the wire. Like the JDK's buffered
 * streams (and {@code secure.SecureOutputStream}) the lock is this stream's own and guards nothing
 * else, so holding it during the socket write blocks only other writers.
 */
final class Rc4OutputStream extends OutputStream {
    private final OutputStream out;
    private final Rc4 rc4;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] buf;
    private int count;

    Rc4OutputStream(OutputStream out, Rc4 rc4, int bufferSize) {
        this.out = out;
        this.rc4 = rc4;
        this.buf = new byte[bufferSize];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            while (len > 0) {
                int n = Math.min(len, buf.length - count);
                rc4.apply(b, off, buf, count, n);
                count += n;
                off += n;
                len -= n;
                if (count == buf.length) {
                    drain();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            drain();
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }

    /** Under the lock. */
    private void drain() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            count = 0;
        }
    }
}
