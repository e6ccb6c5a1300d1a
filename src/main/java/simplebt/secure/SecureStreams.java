package simplebt.secure;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The plaintext side of a secure connection. {@code out} collects writes into records of up to
 * 16 KiB and sends a record when it is full or on {@code flush()}; {@code in} returns the
 * opened records' bytes. One reader thread and one writer thread may use them at once.
 * {@link #close()} closes the socket at once, without flushing.
 */
public record SecureStreams(InputStream in, OutputStream out, Closeable transport) implements Closeable {
    @Override
    public void close() throws IOException {
        transport.close();
    }
}
