package simplebt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * Moves file bytes to a blocking socket channel without copying them through Java:
 * {@link FileChannel#transferTo} is sendfile on Linux, page cache to socket in the kernel.
 * <p>
 * The JDK keeps the descriptor of a socket used from a virtual thread (or read with a timeout)
 * non-blocking, and its transferTo then returns 0 when the socket's send buffer is full instead
 * of waiting (it does not park as the channel's own writes do). So a 0 is answered with an
 * ordinary channel write of the next few bytes, which parks until the socket takes them; the
 * loop then goes on with sendfile. A 0 can also mean the file is shorter than it was when the
 * caller checked: then this throws, and the peer sees the connection end mid-message, never
 * bytes that are not the file's.
 */
final class FileToSocket {
    /** Written the ordinary way when the socket is full: little enough that the copy does not matter. */
    static final int WAIT_WRITE = 4096;

    private FileToSocket() {
    }

    /** Sends {@code length} bytes of {@code file} from {@code position}; {@code path} names it in errors. */
    static void send(FileChannel file, long position, int length, WritableByteChannel to, Path path, long fileLength)
            throws IOException {
        long at = position;
        long end = position + length;
        while (at < end) {
            long n = file.transferTo(at, end - at, to);
            if (n > 0) {
                at += n;
                continue;
            }
            if (file.size() < end) {
                throw shorter(path, fileLength);
            }
            ByteBuffer some = ByteBuffer.allocate((int) Math.min(end - at, WAIT_WRITE));
            while (some.hasRemaining()) {
                if (file.read(some, at + some.position()) < 0) {
                    throw shorter(path, fileLength);
                }
            }
            writeFully(some.flip(), to);
            at += some.limit();
        }
    }

    /** A blocking channel's write may take part of a buffer; this takes all of it. */
    static void writeFully(ByteBuffer data, WritableByteChannel to) throws IOException {
        while (data.hasRemaining()) {
            to.write(data);
        }
    }

    static IOException shorter(Path path, long fileLength) {
        return new IOException(path + " is shorter than the torrent says (" + fileLength + " bytes)");
    }
}
