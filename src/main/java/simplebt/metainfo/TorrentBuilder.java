package simplebt.metainfo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeEncoder;

/**
 * Creates a .torrent from a file or a directory. Pieces are hashed by several threads at once
 * ({@link PieceHasher}), so no file is ever held in memory whole.
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
    private ContentScanner.Content scanned;

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

    /**
     * Sets up the JDK's SHA-1 provider on a background thread, so that the first hashing thread
     * does not wait for it: the provider list's first use takes ~20 ms, which `create` can spend
     * parsing its arguments and scanning the content instead. Calling it is optional.
     */
    public static void prepareDigest() {
        // A platform thread: the first virtual thread of a run sets up the scheduler and its
        // continuations, ~10 ms on the calling thread (measured), more than the wait it saves.
        Thread thread = new DigestPreparation();
        thread.setDaemon(true);
        thread.start();
    }

    /** Gets the first SHA-1 instance, which sets up the JDK's provider list. */
    private static final class DigestPreparation extends Thread {
        DigestPreparation() {
            super("sha1-prepare");
        }

        @Override
        public void run() {
            InfoHash.sha1();
        }
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
        return scan().totalLength();
    }

    /** The content, scanned once: a second walk of a big folder is time the user waits for. */
    private ContentScanner.Content scan() throws IOException {
        if (scanned == null) {
            scanned = ContentScanner.scan(source);
        }
        return scanned;
    }

    /** Hashes the content and returns the bencoded .torrent; progress gets bytes hashed so far. */
    public byte[] build(LongConsumer progress) throws IOException, InterruptedException {
        return create(progress).bytes();
    }

    /** A new .torrent: its bytes, and what a caller shows of it without parsing it again. */
    public record Created(byte[] bytes, InfoHash infoHash, int pieceLength, int pieceCount) {
    }

    /** Like {@link #build}, also giving the info hash and the piece count. */
    public Created create(LongConsumer progress) throws IOException, InterruptedException {
        return create(progress, NOTHING);
    }

    /** Work that does not need the piece hashes, for {@link #create(LongConsumer, Meanwhile)}. */
    public interface Meanwhile {
        void run() throws IOException;
    }

    private static final Meanwhile NOTHING = new Meanwhile() { // a class, not a lambda: start-up
        @Override
        public void run() {
        }
    };

    /**
     * Like {@link #create(LongConsumer)}; {@code meanwhile} runs on the calling thread once the
     * other hashing threads are started, before it joins them: at that point they wait for the
     * JDK's SHA-1 provider (~15-20 ms on a cold JVM), so work done there is off the wall time.
     * If it throws, hashing stops and this throws that.
     */
    public Created create(LongConsumer progress, Meanwhile meanwhile) throws IOException, InterruptedException {
        ContentScanner.Content content = scan();
        int pl = pieceLength > 0 ? pieceLength : autoPieceLength(content.totalLength());
        // Everything but the piece hashes is known before hashing: filled in while the hashing
        // threads wait for the SHA-1 provider, the bencode classes load then rather than
        // between the last piece and the written file (bench/create/NOTES.md, fourth pass).
        BDict.Builder info = BDict.builder();
        BDict.Builder root = BDict.builder();
        byte[] pieces = PieceHasher.hash(content, pl, threads, progress, new Meanwhile() {
            @Override
            public void run() throws IOException {
                putAllButPieces(info, content, pl);
                putAllButInfo(root);
                meanwhile.run();
            }
        });
        BDict infoDict = info.put("pieces", pieces).build();
        root.put("info", infoDict);
        // The encoder is canonical, so these are exactly the info bytes inside the .torrent.
        InfoHash infoHash = InfoHash.of(BencodeEncoder.encode(infoDict));
        return new Created(BencodeEncoder.encode(root.build()), infoHash, pl, pieces.length / InfoHash.LENGTH);
    }

    private void putAllButPieces(BDict.Builder info, ContentScanner.Content content, int pl) {
        info.put("name", content.name()).put("piece length", pl);
        if (content.multiFile()) {
            List<BValue> files = new ArrayList<>();
            for (ContentScanner.SourceFile f : content.files()) {
                List<BValue> path = new ArrayList<>();
                for (String part : f.relativePath()) {
                    path.add(BString.of(part));
                }
                files.add(BDict.builder().put("length", f.length()).put("path", new BList(path)).build());
            }
            info.put("files", new BList(files));
        } else {
            info.put("length", content.totalLength());
        }
        if (isPrivate) {
            info.put("private", 1);
        }
    }

    private void putAllButInfo(BDict.Builder root) {
        if (!trackers.isEmpty()) {
            root.put("announce", trackers.get(0));
            if (trackers.size() > 1) {
                // BEP 12: one tier per URL, tried in order.
                List<BValue> tiers = new ArrayList<>();
                for (String t : trackers) {
                    tiers.add(BList.of(BString.of(t)));
                }
                root.put("announce-list", new BList(tiers));
            }
        }
        if (comment != null) {
            root.put("comment", comment);
        }
        root.put("created by", createdBy);
        root.put("creation date", new BInt(creationDate.getEpochSecond()));
    }
}
