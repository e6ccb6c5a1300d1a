package simplebt.mse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;

/** Two in-memory pipes standing in for a TCP connection between A (initiator) and B (responder). */
final class Pipes {
    final PipedInputStream aIn;
    final PipedOutputStream bOut;
    final PipedInputStream bIn;
    final PipedOutputStream aOut;
    /** Copies of what each side put on the "wire". */
    final ByteArrayOutputStream fromA = new ByteArrayOutputStream();
    final ByteArrayOutputStream fromB = new ByteArrayOutputStream();

    Pipes() throws IOException {
        aIn = new PipedInputStream(1 << 18);
        bOut = new PipedOutputStream(aIn);
        bIn = new PipedInputStream(1 << 18);
        aOut = new PipedOutputStream(bIn);
    }

    /** A's output: copied, and cut (closed) after {@code limit} bytes. */
    OutputStream aWire(long limit) {
        return new Wire(aOut, fromA, limit);
    }

    OutputStream bWire(long limit) {
        return new Wire(bOut, fromB, limit);
    }

    static void closeQuietly(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // going away
            }
        }
    }

    /** Forwards bytes up to a limit, then closes the pipe: the peer sees the connection end there. */
    private static final class Wire extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream copy;
        private long left;

        Wire(OutputStream out, ByteArrayOutputStream copy, long limit) {
            this.out = out;
            this.copy = copy;
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            out.write(b, off, n);
            copy.write(b, off, n);
            left -= n;
            if (n < len) {
                out.close();
                throw new IOException("cut after the limit");
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
