package simplebt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;

/**
 * A torrent's data on disk: pieces map onto one or many files laid end to end (BEP 3). Reads
 * and writes are positional on {@link FileChannel}s from a bounded {@link OpenFiles} pool (at most
 * {@link #DEFAULT_OPEN_FILES} open at a time by default); files and their directories are created
 * when first written. Every path is resolved through {@link SafePaths}, so nothing outside the
 * root is touched. BEP 47 padding files are never opened: they read as zeros and take only zeros.
 *
 * <p>With a file selection, a file not chosen and not on disk is <em>parked</em>: it is never
 * created, and its bytes in the pieces we fetch go to the {@link PartFile}. A byte range the part
 * file holds for a chosen file (left there by a narrower earlier selection) is read from it until
 * {@link #settleParts} has moved it into its file.
 *
 * <p>Threads: peer and verifier threads read and write at once; the mutable state besides the
 * pool (which guards itself) is each file's {@code dirty} flag and the part file, which
 * {@link #settleParts} replaces once at start, before any peer thread runs.
 */
public final class Storage implements AutoCloseable {
    /** Enough for the files a few dozen peers touch at once; far below the usual 1,024 descriptors. */
    public static final int DEFAULT_OPEN_FILES = 64;

    private final Path root;
    private final Info info;
    private final List<Slot> slots = new ArrayList<>();
    private final long[] starts;
    private final OpenFiles open;
    /** Whole aligned pieces bypass the page cache through these (see {@link DirectWrites}). */
    private final DirectWrites direct;
    private final BitSet chosen;
    private volatile PartFile parts;
    /** Pieces {@link #writePiece} wrote around the page cache; peer and verifier threads add to it. */
    private final AtomicLong piecesWrittenDirect = new AtomicLong();

    public Storage(Path root, Info info) throws IOException {
        this(root, info, DEFAULT_OPEN_FILES);
    }

    public Storage(Path root, Info info, int maxOpenFiles) throws IOException {
        this(root, info, maxOpenFiles, FileSelection.ALL.chosen(info), null, true);
    }

    /**
     * @param chosen the files to fetch ({@link FileSelection#chosen}); others not on disk are parked
     * @param parts  the torrent's part file as found on disk ({@link PartFileReader#open})
     */
    public Storage(Path root, Info info, BitSet chosen, PartFile parts) throws IOException {
        this(root, info, DEFAULT_OPEN_FILES, chosen, parts, true);
    }

    /** @param directWrites false: every piece goes through the page cache ({@link DirectWrites}) */
    public Storage(Path root, Info info, BitSet chosen, PartFile parts, boolean directWrites) throws IOException {
        this(root, info, DEFAULT_OPEN_FILES, chosen, parts, directWrites);
    }

    private Storage(Path root, Info info, int maxOpenFiles, BitSet chosen, PartFile parts, boolean directWrites)
            throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.chosen = (BitSet) chosen.clone();
        this.parts = parts != null ? parts : PartFile.none(info);
        this.info = info;
        if (ResumeFile.isReserved(info.name())) {
            throw new IOException("torrent name '" + info.name() + "' is reserved for the node's own resume data");
        }
        List<FileEntry> files = info.files();
        starts = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            Path path = SafePaths.resolve(this.root, info.relativePath(f));
            // A file not chosen but already there (an earlier, wider download) keeps serving its bytes.
            boolean parked = !f.padding() && !chosen.get(i) && !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
            slots.add(new Slot(path, f.offset(), f.length(), f.padding(), parked));
            starts[i] = f.offset();
        }
        this.open = new OpenFiles(maxOpenFiles, this::openChannel);
        this.direct = new DirectWrites(maxOpenFiles, this::pathToWrite, directWrites);
    }

    public Path root() {
        return root;
    }

    public Info info() {
        return info;
    }

    /** The files this torrent puts on disk (padding files are not among them). */
    public List<Path> paths() {
        return slots.stream().filter(s -> !s.padding).map(s -> s.path).toList();
    }

    /** Pieces that overlap a chosen file: the ones to fetch (all of them without a selection). */
    public BitSet wantedPieces() {
        return PartLayout.wantedPieces(info, chosen);
    }

    /** True when file {@code index} is neither chosen nor on disk: its bytes live in the part file. */
    boolean parked(int index) {
        return slots.get(index).parked;
    }

    PartFile parts() {
        return parts;
    }

    /**
     * After the resume data was read: checks again every claimed piece with bytes in the part
     * file, moves bytes of now-chosen files out of it and lays out a new one for this selection.
     * Removes from {@code claimed} what failed. Call before any peer thread runs.
     *
     * @return true when files changed (the resume file must be saved again)
     */
    public boolean settleParts(BitSet claimed) throws IOException {
        return new PartSettler(this).settle(claimed);
    }

    /** Installs the part file {@link PartSettler} laid out; closes the old one. */
    void replaceParts(PartFile next) throws IOException {
        PartFile old = parts;
        parts = next;
        if (old != next) {
            old.close();
        }
    }

    /** Writes straight into file {@code index}, whatever the part file holds (moving bytes out of it). */
    void writeToFile(int index, long inFile, ByteBuffer data) throws IOException {
        Slot s = slots.get(index);
        try (OpenFiles.Lease lease = open.acquire(index, true)) {
            positional(lease.channel(), s, data, inFile, true);
        }
        s.dirty = true;
    }

    /** Channels open right now (for tests of the bound). */
    int openFiles() {
        return open.openCount();
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

    /**
     * Writes a whole piece from a (direct) buffer's position to its limit: no copy on the way. A
     * piece inside one file, in a buffer from {@link #pieceBuffer}, goes around the page cache.
     */
    public void writePiece(int piece, ByteBuffer data) throws IOException {
        long offset = (long) piece * info.pieceLength();
        int i = fileAt(offset);
        while (i < slots.size() - 1 && offset - slots.get(i).offset >= slots.get(i).length) {
            i++; // past empty files that start here
        }
        Slot s = slots.get(i);
        long inFile = offset - s.offset;
        boolean oneFile = !s.padding && !s.parked && inFile + data.remaining() <= s.length;
        if (oneFile && !parts.holds(offset, data.remaining()) && direct.write(i, inFile, data)) {
            s.dirty = true; // the size and extents still need the sync's fsync
            piecesWrittenDirect.incrementAndGet();
            return;
        }
        transfer(offset, data, true);
    }

    /** How many pieces went around the page cache so far (tests and --debug: was O_DIRECT used?). */
    public long piecesWrittenDirect() {
        return piecesWrittenDirect.get();
    }

    /** An off-heap buffer for a piece of up to {@code length} bytes that {@link #writePiece} can write around the page cache. */
    public static ByteBuffer pieceBuffer(int length) {
        return DirectWrites.allocate(length);
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
            if (s.length == 0 || s.padding) {
                continue;
            }
            long segment = Math.max(from, s.offset);
            int n = (int) (Math.min(to, s.offset + s.length) - segment);
            PartFile p = parts;
            if (s.parked || p.holds(segment, n)) {
                if (!p.present(segment, n)) {
                    return false;
                }
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
            PartFile p = parts;
            if (s.padding) {
                padding(s, view, write);
            } else if (s.parked || p.holds(s.offset + inFile, n)) {
                p.transfer(s.offset + inFile, view, write);
            } else {
                try (OpenFiles.Lease lease = open.acquire(i, write)) {
                    positional(lease.channel(), s, view, inFile, write);
                }
                if (write) {
                    s.dirty = true; // after the write: a sync that sees the flag clear also sees the bytes
                }
            }
            done += n;
        }
    }

    private static void positional(FileChannel ch, Slot s, ByteBuffer view, long pos, boolean write) throws IOException {
        while (view.hasRemaining()) {
            int k = write ? ch.write(view, pos) : ch.read(view, pos);
            if (k < 0) {
                throw new IOException(s.path + " is shorter than the torrent says (" + s.length + " bytes)");
            }
            pos += k;
        }
    }

    /** BEP 47 padding is never on disk: reads give zeros, and a write must be zeros (else the torrent lies). */
    private static void padding(Slot s, ByteBuffer view, boolean write) throws IOException {
        for (int k = view.position(); k < view.limit(); k++) {
            if (!write) {
                view.put(k, (byte) 0);
            } else if (view.get(k) != 0) {
                throw new IOException("the torrent is broken: its padding file " + s.path.getFileName()
                        + " should hold zeros (BEP 47) but its piece hash says otherwise");
            }
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
     * Forces every file written since the last sync to disk, so a resume file written after this
     * never vouches for bytes a power loss could still lose. A file whose channel was closed since
     * is reopened: fsync on any descriptor flushes the file.
     */
    public void sync() throws IOException {
        parts.sync();
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.dirty) {
                s.dirty = false;
                try (OpenFiles.Lease lease = open.acquire(i, true)) {
                    lease.channel().force(false);
                } catch (IOException e) {
                    s.dirty = true; // still unsynced: the next save must try again, not trust it
                    throw e;
                }
            }
        }
    }

    /**
     * When every wanted piece is in: creates empty files, and cuts files that were longer than the
     * torrent says, so the folder holds exactly the torrent's chosen files.
     */
    public void finish() throws IOException {
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.padding || !chosen.get(i)) {
                continue;
            }
            boolean right = Files.isRegularFile(s.path, LinkOption.NOFOLLOW_LINKS) && Files.size(s.path) == s.length;
            if (!right) {
                try (OpenFiles.Lease lease = open.acquire(i, true)) {
                    lease.channel().truncate(s.length);
                }
            }
        }
    }

    /** Sizes and modification times, for the resume file; padding files, never on disk, stamp as [length, 0]. */
    public List<long[]> fileStamps() {
        List<long[]> out = new ArrayList<>();
        for (Slot s : slots) {
            if (s.padding) {
                out.add(new long[] {s.length, 0});
                continue;
            }
            try {
                out.add(new long[] {Files.size(s.path), Files.getLastModifiedTime(s.path, LinkOption.NOFOLLOW_LINKS).toMillis()});
            } catch (IOException e) {
                out.add(new long[] {-1, -1});
            }
        }
        return out;
    }

    /** Opens file {@code index}, checking for links on the way; called by the pool under its lock. */
    private FileChannel openChannel(int index, boolean write) throws IOException {
        Path path = slots.get(index).path;
        SafePaths.checkNoLinks(root, path);
        if (!write) {
            return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        SafePaths.createParents(root, path);
        SafePaths.checkNoLinks(root, path);
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** File {@code index}'s path for a direct write, checked and with its parents made as {@link #openChannel} does. */
    private Path pathToWrite(int index) throws IOException {
        Path path = slots.get(index).path;
        SafePaths.checkNoLinks(root, path);
        SafePaths.createParents(root, path);
        SafePaths.checkNoLinks(root, path);
        return path;
    }

    /** Declared to throw so callers keep one shape whatever closing a channel may one day report. */
    @Override
    public void close() throws IOException {
        open.close();
        direct.close();
        parts.close();
    }

    /** One file of the torrent; only {@code dirty} changes (set by writers, cleared by {@link #sync}). */
    private static final class Slot {
        final Path path;
        final long offset;
        final long length;
        final boolean padding;
        final boolean parked;
        volatile boolean dirty;

        Slot(Path path, long offset, long length, boolean padding, boolean parked) {
            this.path = path;
            this.offset = offset;
            this.length = length;
            this.padding = padding;
            this.parked = parked;
        }
    }
}
