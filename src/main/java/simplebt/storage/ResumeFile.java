package simplebt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeEncoder;
import simplebt.bencode.BencodeException;
import simplebt.metainfo.InfoHash;

/**
 * Which pieces were verified, kept in {@code <root>/.simplebt-resume/<infohash>.resume} (bencode:
 * {@code info hash}, {@code pieces} = BEP 3 bitfield bytes, {@code files} = list of [size, mtime ms]).
 *
 * <p>Our state lives in a folder no torrent can write: {@link Storage} refuses a torrent named
 * {@value #DIR} (any case), and every other torrent path lies under the torrent's own name. A file
 * planted there by other means still vouches for nothing unless it names this info hash, every
 * file still has the size and modification time recorded, and every claimed piece's bytes are on
 * disk; anything else means the data is hashed again.
 *
 * <p>It is written to a fresh randomly named temp file (create-new, no link followed) and renamed
 * over, so a link planted in the folder is never written through. The file itself is not fsynced
 * (a lost or stale one no longer matches the stamps and means a re-check), but the caller forces
 * the data it claims to disk first ({@link Storage#sync}), so after a power loss it never vouches
 * for bytes that did not reach the disk.
 */
public final class ResumeFile {
    /** The folder under the download root that holds our resume files; no torrent may take this name. */
    public static final String DIR = ".simplebt-resume";
    private static final int MAX_BYTES = 16 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Path path;
    private final InfoHash infoHash;

    public ResumeFile(Path root, InfoHash infoHash) {
        this.dir = root.toAbsolutePath().normalize().resolve(DIR);
        this.path = dir.resolve(infoHash.hex() + ".resume");
        this.infoHash = infoHash;
    }

    /** True when a torrent's top-level name would land in our state folder. */
    public static boolean isReserved(String topLevelName) {
        return topLevelName.equalsIgnoreCase(DIR);
    }

    public Path path() {
        return path;
    }

    /** Where this torrent's {@link PartFile} lives, beside the resume file. */
    public Path partPath() {
        return dir.resolve(infoHash.hex() + ".parts");
    }

    /**
     * The pieces the file vouches for: only when it names this torrent, matches every file's
     * size and mtime, and only pieces whose bytes are all on disk ({@link Storage#present}).
     */
    public Optional<BitSet> load(Storage storage) {
        return read(storage, true);
    }

    /**
     * For display only, never to skip a check: the pieces the file claims whose bytes are on
     * disk, without comparing the files' stamps. A running session writes pieces after each
     * save, which changes the stamps, so {@link #load} would show a download in progress as
     * nothing at all.
     */
    public Optional<BitSet> claimed(Storage storage) {
        return read(storage, false);
    }

    private Optional<BitSet> read(Storage storage, boolean checkStamps) {
        int pieceCount = storage.info().pieceCount();
        List<long[]> currentStamps = checkStamps ? storage.fileStamps() : List.of();
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                    || Files.size(path) > MAX_BYTES) {
                return Optional.empty();
            }
            if (!(BencodeDecoder.decode(Files.readAllBytes(path)) instanceof BDict dict)) {
                return Optional.empty();
            }
            Optional<byte[]> hash = dict.string("info hash").map(b -> b.bytes());
            Optional<byte[]> bits = dict.string("pieces").map(b -> b.bytes());
            Optional<BList> files = dict.list("files");
            if (hash.isEmpty() || !Arrays.equals(hash.get(), infoHash.bytes())
                    || bits.isEmpty() || bits.get().length != (pieceCount + 7) / 8
                    || files.isEmpty() || (checkStamps && !stampsMatch(files.get(), currentStamps))) {
                return Optional.empty();
            }
            BitSet claimed = new BitSet(pieceCount);
            for (int i = 0; i < pieceCount; i++) {
                if ((bits.get()[i >>> 3] & (0x80 >>> (i & 7))) != 0 && storage.present(i)) {
                    claimed.set(i);
                }
            }
            return Optional.of(claimed);
        } catch (IOException | BencodeException e) {
            return Optional.empty();
        }
    }

    private static boolean stampsMatch(BList files, List<long[]> current) {
        if (files.size() != current.size()) {
            return false;
        }
        for (int i = 0; i < current.size(); i++) {
            if (!(files.get(i) instanceof BList pair) || pair.size() != 2
                    || !(pair.get(0) instanceof BInt size) || !(pair.get(1) instanceof BInt mtime)
                    || size.value() != current.get(i)[0] || mtime.value() != current.get(i)[1]) {
                return false;
            }
        }
        return true;
    }

    /** Saves the bitfield with the files' stamps; the caller has synced the data it claims. */
    public void save(byte[] bitfield, List<long[]> stamps) throws IOException {
        List<BValue> files = new ArrayList<>();
        for (long[] s : stamps) {
            files.add(BList.of(BInt.of(s[0]), BInt.of(s[1])));
        }
        BDict dict = BDict.builder().put("info hash", infoHash.bytes()).put("pieces", bitfield)
                .put("files", new BList(files)).build();
        ByteBuffer content = ByteBuffer.wrap(BencodeEncoder.encode(dict));
        replace(path, ch -> {
            while (content.hasRemaining()) {
                ch.write(content);
            }
        });
    }

    /** Fills a channel; the file behind it is renamed into place afterwards. */
    interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    /**
     * Writes one of our state files (resume, part file) whole: a fresh randomly named temp file
     * in our folder, created new (so a planted link is never written through), filled, renamed over.
     */
    static void replace(Path target, ChannelWriter content) throws IOException {
        Path folder = target.getParent();
        ensureDir(folder);
        byte[] name = new byte[8];
        RANDOM.nextBytes(name);
        Path temp = folder.resolve(target.getFileName() + "." + HexFormat.of().formatHex(name) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                content.write(ch);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Our folder must be a real directory: a link there could send the temp file anywhere. */
    static void ensureDir(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException("refusing to follow symbolic link " + dir);
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw e; // another session made it meanwhile is fine; anything else is not
                }
            }
        }
    }

    /** Forgets this torrent's resume data: the resume file and its part file. */
    public void delete() throws IOException {
        Files.deleteIfExists(path);
        Files.deleteIfExists(partPath());
    }
}
