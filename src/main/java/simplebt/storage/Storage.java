package simplebt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;

/**
 * A torrent's data on disk: pieces map onto one or many files laid end to end (BEP 3). Reads
 * and writes are positional on {@link FileChannel}s, which are thread-safe for that, opened on
 * first use; files and their directories are created when first written. Every path is resolved
 * through {@link SafePaths}, so nothing outside the root is touched.
 */
public final class Storage implements AutoCloseable {
    private final Path root;
    private final Info info;
    private final List<Slot> slots = new ArrayList<>();
    private final long[] starts;

    public Storage(Path root, Info info) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.info = info;
        List<FileEntry> files = info.files();
        starts = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            slots.add(new Slot(SafePaths.resolve(this.root, info.relativePath(f)), f.offset(), f.length()));
            starts[i] = f.offset();
        }
    }

    public Path root() {
        return root;
    }

    public Info info() {
        return info;
    }

    public List<Path> paths() {
        return slots.stream().map(s -> s.path).toList();
    }

    /** Writes a whole verified piece to its final place. */
    public void writePiece(int piece, byte[] data, int length) throws IOException {
        long offset = (long) piece * info.pieceLength();
        transfer(offset, data, 0, length, true);
    }

    /** Writes part of a piece (pieces too large to assemble in memory go to disk block by block). */
    public void write(int piece, int begin, byte[] data, int offset, int length) throws IOException {
        transfer((long) piece * info.pieceLength() + begin, data, offset, length, true);
    }

    /** Writes a whole piece from a (direct) buffer's position to its limit: no copy on the way. */
    public void writePiece(int piece, ByteBuffer data) throws IOException {
        transfer((long) piece * info.pieceLength(), data, true);
    }

    /** Reads {@code length} bytes of piece {@code piece} from {@code begin}; short files read as an error. */
    public void read(int piece, int begin, byte[] buffer, int offset, int length) throws IOException {
        transfer((long) piece * info.pieceLength() + begin, buffer, offset, length, false);
    }

    /** True when every file the piece touches exists with at least the bytes the piece needs. */
    public boolean present(int piece) {
        long from = (long) piece * info.pieceLength();
        long to = from + info.pieceSize(piece);
        for (int i = fileAt(from); i < slots.size() && slots.get(i).offset < to; i++) {
            Slot s = slots.get(i);
            if (s.length == 0) {
                continue;
            }
            long needEnd = Math.min(s.length, to - s.offset);
            try {
                if (!Files.isRegularFile(s.path, LinkOption.NOFOLLOW_LINKS) || Files.size(s.path) < needEnd) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private void transfer(long offset, byte[] buffer, int at, int length, boolean write) throws IOException {
        transfer(offset, ByteBuffer.wrap(buffer, at, length), write);
    }

    private void transfer(long offset, ByteBuffer data, boolean write) throws IOException {
        int length = data.remaining();
        int done = 0;
        for (int i = fileAt(offset); done < length; i++) {
            Slot s = slots.get(i);
            long inFile = offset + done - s.offset;
            if (inFile >= s.length) {
                continue; // empty file, or the end of this one
            }
            int n = (int) Math.min(length - done, s.length - inFile);
            ByteBuffer view = data.slice(data.position() + done, n);
            FileChannel ch = s.channel(write);
            long pos = inFile;
            while (view.hasRemaining()) {
                int k = write ? ch.write(view, pos) : ch.read(view, pos);
                if (k < 0) {
                    throw new IOException(s.path + " is shorter than the torrent says (" + s.length + " bytes)");
                }
                pos += k;
            }
            done += n;
        }
    }

    /** Index of the file holding byte {@code offset}; the first such file when empty files share it. */
    private int fileAt(long offset) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        while (lo > 0 && starts[lo - 1] == starts[lo]) {
            lo--;
        }
        return lo;
    }

    /**
     * When every piece is in: creates empty files, and cuts files that were longer than the
     * torrent says, so the folder holds exactly the torrent's files.
     */
    public void finish() throws IOException {
        for (Slot s : slots) {
            boolean right = Files.isRegularFile(s.path, LinkOption.NOFOLLOW_LINKS) && Files.size(s.path) == s.length;
            if (!right) {
                s.channel(true).truncate(s.length);
            }
        }
    }

    /** Sizes and modification times, for the resume file. */
    public List<long[]> fileStamps() {
        List<long[]> out = new ArrayList<>();
        for (Slot s : slots) {
            try {
                out.add(new long[] {Files.size(s.path), Files.getLastModifiedTime(s.path, LinkOption.NOFOLLOW_LINKS).toMillis()});
            } catch (IOException e) {
                out.add(new long[] {-1, -1});
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Slot s : slots) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** One file: opened read-only for serving, reopened writable on the first write. */
    private final class Slot {
        final Path path;
        final long offset;
        final long length;
        final ReentrantLock lock = new ReentrantLock();
        volatile FileChannel channel;
        volatile boolean writable;
        FileChannel retired;

        Slot(Path path, long offset, long length) {
            this.path = path;
            this.offset = offset;
            this.length = length;
        }

        FileChannel channel(boolean write) throws IOException {
            FileChannel ch = channel;
            if (ch != null && (writable || !write)) {
                return ch;
            }
            lock.lock();
            try {
                if (channel != null && (writable || !write)) {
                    return channel;
                }
                SafePaths.checkNoLinks(root, path);
                if (write) {
                    SafePaths.createParents(root, path);
                    SafePaths.checkNoLinks(root, path);
                    FileChannel opened = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    if (channel != null) {
                        retired = channel; // another thread may still be reading from it; closed at the end
                    }
                    channel = opened;
                    writable = true;
                } else {
                    channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                }
                return channel;
            } finally {
                lock.unlock();
            }
        }

        void close() throws IOException {
            lock.lock();
            try {
                if (retired != null) {
                    retired.close();
                    retired = null;
                }
                if (channel != null) {
                    channel.close();
                    channel = null;
                    writable = false;
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
