package simplebt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import simplebt.metainfo.Info;
import simplebt.metainfo.InfoHash;

/**
 * The part file ({@code <root>/.simplebt-resume/<infohash>.parts}), as libtorrent keeps one: with
 * a file selection, a piece we fetch may also hold bytes of files that were not chosen. Those
 * files are not created, so their slices of such boundary pieces live here, which lets the whole
 * piece be hashed, checked again after a restart and served to other peers.
 *
 * <p>Layout, big-endian: {@code "SBTPARTS"}, version 1 (4 bytes), info hash (20), piece length
 * (4), slice count n (4); n entries of piece (4), offset in the piece (4), length (4), sorted by
 * their place in the torrent; a CRC-32 of all of that (4); then the slices' bytes back to back in
 * index order. Each slice is exactly one file's share of one piece ({@link PartLayout}); a slice
 * not fetched yet is simply missing at the end or a hole, which no piece check accepts.
 *
 * <p>The index never changes while a file is open: {@link PartSettler} lays out a new one at start
 * (written beside it and renamed over), when the selection changed. Peer and verifier threads do
 * positional I/O on the one channel; {@code dirty} is the only mutable field (volatile).
 */
public final class PartFile implements AutoCloseable {
    static final byte[] MAGIC = "SBTPARTS".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int FIXED_HEADER = 8 + 4 + InfoHash.LENGTH + 4 + 4;
    private static final int ENTRY = 12;

    /** One file's share of one piece: {@code length} bytes from {@code begin} within {@code piece}. */
    public record Slice(int piece, int begin, int length) {
    }

    private final Path path;
    private final InfoHash infoHash;
    private final List<Slice> slices;
    private final long[] starts;    // torrent offset of each slice, ascending
    private final long[] positions; // where each slice's bytes sit in the file
    private final FileChannel channel; // null when there are no slices (and no file)
    private volatile boolean dirty;

    private PartFile(Path path, InfoHash infoHash, int pieceLength, List<Slice> slices, FileChannel channel) {
        this.path = path;
        this.infoHash = infoHash;
        this.slices = List.copyOf(slices);
        this.channel = channel;
        this.starts = new long[slices.size()];
        this.positions = new long[slices.size()];
        long position = headerSize(slices.size());
        for (int i = 0; i < slices.size(); i++) {
            Slice s = slices.get(i);
            starts[i] = (long) s.piece() * pieceLength + s.begin();
            positions[i] = position;
            position += s.length();
        }
    }

    static PartFile empty(Path path, InfoHash infoHash, Info info) {
        return new PartFile(path, infoHash, info.pieceLength(), List.of(), null);
    }

    /** For a storage without a selection and without a place for a part file (library use, tests). */
    static PartFile none(Info info) {
        return new PartFile(null, null, info.pieceLength(), List.of(), null);
    }

    static long headerSize(int slices) {
        return FIXED_HEADER + (long) slices * ENTRY + 4;
    }

    /** An existing file opened for reading and writing, its index already checked by the caller. */
    static PartFile opened(Path path, InfoHash infoHash, Info info, List<Slice> slices) throws IOException {
        if (slices.isEmpty()) {
            return empty(path, infoHash, info);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return new PartFile(path, infoHash, info.pieceLength(), slices, ch);
    }

    /** Where it lives; null for {@link #none}. */
    public Path path() {
        return path;
    }

    InfoHash infoHash() {
        return infoHash;
    }

    public List<Slice> slices() {
        return slices;
    }

    public boolean isEmpty() {
        return slices.isEmpty();
    }

    /** Index of the slice holding torrent byte {@code offset}, or -1. */
    private int find(long offset) {
        int i = Arrays.binarySearch(starts, offset);
        if (i < 0) {
            i = -i - 2; // the slice starting before offset
        }
        return i >= 0 && offset < starts[i] + slices.get(i).length() ? i : -1;
    }

    /** True when one slice here covers torrent bytes {@code [offset, offset + length)}. */
    boolean holds(long offset, int length) {
        if (slices.isEmpty()) {
            return false; // the usual case: no selection, not even a search
        }
        int i = find(offset);
        return i >= 0 && offset + length <= starts[i] + slices.get(i).length();
    }

    /** Held and written out as far as that range (a slice never fetched reads as missing). */
    boolean present(long offset, int length) {
        if (!holds(offset, length)) {
            return false;
        }
        int i = find(offset);
        try {
            return channel.size() >= positions[i] + (offset - starts[i]) + length;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads or writes torrent bytes at {@code offset}, which must lie within one slice. */
    void transfer(long offset, ByteBuffer view, boolean write) throws IOException {
        if (!holds(offset, view.remaining())) {
            throw new IOException("torrent bytes " + offset + "+" + view.remaining() + " belong to a file not chosen and have no place in "
                    + path.getFileName());
        }
        int i = find(offset);
        long pos = positions[i] + (offset - starts[i]);
        while (view.hasRemaining()) {
            int k = write ? channel.write(view, pos) : channel.read(view, pos);
            if (k < 0) {
                throw new IOException(path + " is shorter than its index says");
            }
            pos += k;
        }
        if (write) {
            dirty = true;
        }
    }

    void sync() throws IOException {
        if (dirty && channel != null) {
            dirty = false;
            try {
                channel.force(false);
            } catch (IOException e) {
                dirty = true;
                throw e;
            }
        }
    }

    /** The header and index bytes for these slices (what {@link PartFileReader} checks). */
    static ByteBuffer header(InfoHash infoHash, int pieceLength, List<Slice> slices) {
        ByteBuffer b = ByteBuffer.allocate((int) headerSize(slices.size()));
        b.put(MAGIC).putInt(VERSION).put(infoHash.bytes()).putInt(pieceLength).putInt(slices.size());
        for (Slice s : slices) {
            b.putInt(s.piece()).putInt(s.begin()).putInt(s.length());
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }
}
