package simplebt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Writes whole verified pieces around the page cache (O_DIRECT), when the piece, its place in
 * the file and the buffer it sits in are all aligned to {@link #ALIGN}: a downloader writes
 * each byte once and reads it back rarely, and copying it into the page cache was most of a
 * leecher's CPU (bench/profile/NOTES.md: 57 % of it in that copy at 1 GiB; {@code dd} of 1 GiB
 * took 2.1-2.5 s of system time buffered and 0.25-0.31 s with {@code oflag=direct} on the
 * benchmark machine). Everything else (partial last pieces, pieces across files, part files,
 * reads) goes through the ordinary channel; the kernel keeps the two views coherent.
 * <p>
 * Where O_DIRECT is refused (a file system without it, such as an older tmpfs, or a device with
 * larger blocks) the first failure switches it off for this torrent, and the piece is written
 * the ordinary way: {@link #write} returns false and the caller does that.
 * <p>
 * Off for a torrent whose session says so ({@code --direct-writes off}, or the menu's setting:
 * a direct write waits for the device, which on a slow disk costs more than the copy it saves),
 * and for the whole process with {@code -Dsimplebt.directWrites=false} (the benchmark compares
 * both ways).
 * <p>
 * Threads: peer readers write at once; the pool guards itself and {@code off} is volatile.
 */
final class DirectWrites implements AutoCloseable {
    /** Memory, offset and length alignment: a page, which also satisfies 512-byte sectors. */
    static final int ALIGN = 4096;
    private static final boolean PROPERTY_ALLOWS = !"false".equals(System.getProperty("simplebt.directWrites"));

    private final OpenFiles open;
    private volatile boolean off;

    /** @param paths gives file {@code index}'s path, already checked by the caller ({@link SafePaths}) */
    DirectWrites(int maxOpenFiles, Opener paths) {
        this(maxOpenFiles, paths, true);
    }

    /** @param enabled false: {@link #write} always says no, and the caller writes through the page cache */
    DirectWrites(int maxOpenFiles, Opener paths, boolean enabled) {
        this.off = !enabled || !PROPERTY_ALLOWS;
        this.open = new OpenFiles(maxOpenFiles, (index, write) -> FileChannel.open(paths.path(index), OPTIONS));
    }

    /** Resolves and checks file {@code index}'s path, creating its parents (the file need not exist). */
    interface Opener {
        Path path(int index) throws IOException;
    }

    private static final OpenOption[] OPTIONS = {StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS, ExtendedOpenOption.DIRECT};

    /** An off-heap buffer of at least {@code length} bytes whose start is aligned for {@link #write}. */
    static ByteBuffer allocate(int length) {
        int padded = (length + ALIGN - 1) & -ALIGN;
        return ByteBuffer.allocateDirect(padded + ALIGN).alignedSlice(ALIGN);
    }

    /**
     * Writes {@code data} (position to limit) at {@code inFile} of file {@code index} if all of it
     * is aligned; false when it is not (or O_DIRECT is off), and nothing was written.
     */
    boolean write(int index, long inFile, ByteBuffer data) throws IOException {
        if (off || !data.isDirect() || (inFile | data.remaining()) % ALIGN != 0
                || data.alignmentOffset(data.position(), ALIGN) != 0) {
            return false;
        }
        ByteBuffer view = data.duplicate();
        long pos = inFile;
        try (OpenFiles.Lease lease = open.acquire(index, true)) {
            while (view.hasRemaining()) {
                pos += lease.channel().write(view, pos);
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            // Mostly EINVAL at open or write: this file system or device will not take it. The
            // caller writes the whole piece the ordinary way, which reports a real error (a full disk).
            off = true;
            return false;
        }
    }

    @Override
    public void close() {
        open.close();
    }
}
