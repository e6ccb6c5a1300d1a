package simplebt.metainfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeEncoder;

/**
 * Creates a .torrent from a file or a directory. Pieces are hashed by several threads at once,
 * each reading its own pieces with positional reads, so no file is ever held in memory whole.
 * Files come from {@link ContentScanner}; the info dictionary has exactly the keys mktorrent
 * writes, so the same content, name and piece length give the same info hash.
 */
public final class TorrentBuilder {
    public static final int MIN_AUTO_PIECE = 16 << 10;
    public static final int MAX_AUTO_PIECE = 16 << 20;
    static final long TARGET_MAX_PIECES = 2000;

    private final Path source;
    private int pieceLength;
    private final List<String> trackers = new ArrayList<>();
    private boolean isPrivate;
    private String comment;
    private String createdBy = "simplebt 0.1";
    private Instant creationDate = Instant.now();
    private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    public TorrentBuilder(Path source) {
        this.source = source;
    }

    public TorrentBuilder pieceLength(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("piece length must be positive");
        }
        this.pieceLength = bytes;
        return this;
    }

    public TorrentBuilder tracker(String url) {
        trackers.add(url);
        return this;
    }

    public TorrentBuilder isPrivate(boolean value) {
        this.isPrivate = value;
        return this;
    }

    public TorrentBuilder comment(String text) {
        this.comment = text;
        return this;
    }

    public TorrentBuilder createdBy(String text) {
        this.createdBy = text;
        return this;
    }

    public TorrentBuilder creationDate(Instant when) {
        this.creationDate = when;
        return this;
    }

    public TorrentBuilder threads(int n) {
        this.threads = Math.max(1, n);
        return this;
    }

    /** Power of two between 16 KiB and 16 MiB giving at most about 2,000 pieces. */
    public static int autoPieceLength(long totalLength) {
        int length = MIN_AUTO_PIECE;
        while (length < MAX_AUTO_PIECE && (totalLength + length - 1) / length > TARGET_MAX_PIECES) {
            length <<= 1;
        }
        return length;
    }

    /**
     * Bytes {@link #build} will hash: the content as scanned, without hidden files and links.
     * A progress display needs this total; summing the folder itself would count those too.
     */
    public long totalLength() throws IOException {
        return ContentScanner.scan(source).totalLength();
    }

    /** Hashes the content and returns the bencoded .torrent; progress gets bytes hashed so far. */
    public byte[] build(LongConsumer progress) throws IOException, InterruptedException {
        ContentScanner.Content content = ContentScanner.scan(source);
        int pl = pieceLength > 0 ? pieceLength : autoPieceLength(content.totalLength());
        byte[] pieces = hashPieces(content, pl, progress);

        BDict.Builder info = BDict.builder()
                .put("name", content.name())
                .put("piece length", pl)
                .put("pieces", pieces);
        if (content.multiFile()) {
            List<BValue> files = new ArrayList<>();
            for (ContentScanner.SourceFile f : content.files()) {
                List<BValue> path = f.relativePath().stream().<BValue>map(BString::of).toList();
                files.add(BDict.builder().put("length", f.length()).put("path", new BList(path)).build());
            }
            info.put("files", new BList(files));
        } else {
            info.put("length", content.totalLength());
        }
        if (isPrivate) {
            info.put("private", 1);
        }
        BDict.Builder root = BDict.builder().put("info", info.build());
        if (!trackers.isEmpty()) {
            root.put("announce", trackers.get(0));
            if (trackers.size() > 1) {
                // BEP 12: one tier per URL, tried in order.
                root.put("announce-list", new BList(trackers.stream()
                        .<BValue>map(t -> BList.of(BString.of(t))).toList()));
            }
        }
        Optional.ofNullable(comment).ifPresent(c -> root.put("comment", c));
        root.put("created by", createdBy);
        root.put("creation date", new BInt(creationDate.getEpochSecond()));
        return BencodeEncoder.encode(root.build());
    }

    private byte[] hashPieces(ContentScanner.Content content, int pl, LongConsumer progress)
            throws IOException, InterruptedException {
        long total = content.totalLength();
        int count = (int) ((total + pl - 1) / pl);
        byte[] hashes = new byte[count * InfoHash.LENGTH];
        List<FileChannel> channels = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (ContentScanner.SourceFile f : content.files()) {
                channels.add(FileChannel.open(f.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
            }
            AtomicInteger next = new AtomicInteger();
            AtomicLong done = new AtomicLong();
            List<Future<Void>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    MessageDigest sha1 = InfoHash.sha1();
                    // Direct: the file is read straight into it (a heap buffer costs one more
                    // copy per piece), and the digest then takes it in small cache-warm chunks,
                    // which also gets its SHA-1 intrinsic JIT-compiled sooner.
                    ByteBuffer buffer = ByteBuffer.allocateDirect(pl);
                    for (int piece = next.getAndIncrement(); piece < count; piece = next.getAndIncrement()) {
                        long start = (long) piece * pl;
                        int size = (int) Math.min(pl, total - start);
                        buffer.clear().limit(size);
                        readRange(content, channels, start, buffer);
                        sha1.update(buffer.flip());
                        byte[] digest = sha1.digest();
                        System.arraycopy(digest, 0, hashes, piece * InfoHash.LENGTH, InfoHash.LENGTH);
                        progress.accept(done.addAndGet(size));
                    }
                    return null;
                }));
            }
            for (Future<Void> w : workers) {
                w.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("hashing failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            for (FileChannel c : channels) {
                c.close();
            }
        }
        return hashes;
    }

    /** Fills {@code buffer} with the bytes at {@code start} of the concatenated files. */
    private static void readRange(ContentScanner.Content content, List<FileChannel> channels, long start,
                                  ByteBuffer buffer) throws IOException {
        int index = content.fileAt(start);
        long position = start;
        while (buffer.hasRemaining()) {
            ContentScanner.SourceFile f = content.files().get(index);
            long within = position - f.offset();
            if (within >= f.length()) {
                index++;
                continue;
            }
            int before = buffer.position();
            int want = (int) Math.min(buffer.remaining(), f.length() - within);
            ByteBuffer slice = buffer.slice(before, want);
            while (slice.hasRemaining()) {
                if (channels.get(index).read(slice, within + slice.position()) < 0) {
                    throw new IOException(f.path() + " became shorter while hashing");
                }
            }
            buffer.position(before + want);
            position += want;
        }
    }
}
