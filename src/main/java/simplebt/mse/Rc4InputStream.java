package simplebt.mse;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Decrypts what it reads, in place in the caller's array; wrap it in a buffer for few, large reads. */
final class Rc4InputStream extends FilterInputStream {
    private final Rc4 rc4;

    Rc4InputStream(InputStream in, Rc4 rc4) {
        super(in);
        this.rc4 = rc4;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            rc4.apply(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipping must still advance the keystream: read and drop
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        int r = read(scratch, 0, scratch.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
