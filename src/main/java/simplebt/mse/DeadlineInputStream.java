package simplebt.mse;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The handshake's reads from a socket, all under one deadline: before each read the socket's
 * timeout is set to the time left, so neither a silent peer nor one that sends a byte at a time
 * can hold the handshake past it.
 */
final class DeadlineInputStream extends FilterInputStream {
    private final Socket socket;
    private final long deadline;

    DeadlineInputStream(InputStream in, Socket socket, long deadlineNanos) {
        super(in);
        this.socket = socket;
        this.deadline = deadlineNanos;
    }

    @Override
    public int read() throws IOException {
        arm();
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return in.read(b, off, len);
    }

    private void arm() throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("handshake deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
    }
}
