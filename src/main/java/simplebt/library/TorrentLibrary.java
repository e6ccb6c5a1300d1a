package simplebt.library;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;
import simplebt.storage.AtomicFiles;

/**
 * The torrents this node remembers, in its config dir: {@value #FILE_NAME} (see
 * {@link LibraryJson}) and a copy of each .torrent under {@value #TORRENT_DIR}/INFOHASH.torrent
 * (the copy carries the passkey in its announce URL, so files are mode 600 in a 700 folder).
 *
 * <p>Every change is a read-modify-write of the whole list, written atomically
 * ({@link AtomicFiles}), under a lock file so that {@code serve} saving its totals and
 * {@code remove} in another process never undo each other. A list that cannot be read is moved
 * aside (never deleted) and named in {@link Snapshot#problems}, and so is a list with invalid
 * entries, whose valid entries are written back.
 *
 * <p>Threads: no mutable fields but {@link #lock}, which serialises this process's users of the
 * lock file (the JVM refuses two locks on one file from one process).
 */
public final class TorrentLibrary {
    public static final String FILE_NAME = "torrents.json";
    public static final String TORRENT_DIR = "torrent-files";
    /** Far above any real list (a thousand torrents take ~300 KB); bounds what a bad file costs. */
    private static final long MAX_BYTES = 16L << 20;
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Path file;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    /** The entries as loaded, and one line per thing the user should hear about. */
    public record Snapshot(List<LibraryEntry> entries, List<String> problems) {
        public Snapshot {
            entries = List.copyOf(entries);
            problems = List.copyOf(problems);
        }

        public Optional<LibraryEntry> find(InfoHash infoHash) {
            return entries.stream().filter(e -> e.infoHash().equals(infoHash)).findFirst();
        }
    }

    /** Bytes sent and received in one run, to add to an entry's totals. */
    public record Transferred(long sent, long received) {
    }

    public TorrentLibrary(Path configDir) {
        this(configDir, Clock.systemUTC());
    }

    TorrentLibrary(Path configDir, Clock clock) {
        this.dir = configDir.toAbsolutePath().normalize();
        this.file = dir.resolve(FILE_NAME);
        this.clock = clock;
    }

    /** Where the copy of a torrent's .torrent lives: named by the hash, never by anything in the list. */
    public Path torrentFile(InfoHash infoHash) {
        return dir.resolve(TORRENT_DIR).resolve(infoHash.hex() + ".torrent");
    }

    /** The list, with problems named; a corrupt list is moved aside here (and then reads as empty). */
    public Snapshot load() throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new Snapshot(List.of(), List.of());
        }
        return locked(() -> {
            List<String> problems = new ArrayList<>();
            List<LibraryEntry> entries = read(problems);
            for (LibraryEntry e : entries) {
                if (!Files.isRegularFile(torrentFile(e.infoHash()), LinkOption.NOFOLLOW_LINKS)) {
                    problems.add("torrent " + e.infoHash().hex() + " (" + e.name() + "): its saved .torrent "
                            + torrentFile(e.infoHash()) + " is missing; restore it or run: node remove " + e.infoHash().hex());
                }
            }
            return new Snapshot(entries, problems);
        });
    }

    /**
     * Remembers a torrent (a copy of its .torrent and where its data is), unpaused. A torrent
     * already there keeps its totals and added time and takes the new data folder.
     */
    public LibraryEntry add(Metainfo meta, Path dataDir) throws IOException {
        Path data = dataDir.toAbsolutePath().normalize();
        return locked(() -> {
            List<LibraryEntry> entries = new ArrayList<>(read(new ArrayList<>()));
            Path copy = torrentFile(meta.infoHash());
            ownerOnlyDir(copy.getParent());
            AtomicFiles.write(copy, meta.raw()); // AtomicFiles' temp file is owner-only: 600 when renamed
            LibraryEntry entry = null;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).infoHash().equals(meta.infoHash())) {
                    entry = entries.get(i).withDataDir(data).withPaused(false);
                    entries.set(i, entry);
                }
            }
            if (entry == null) {
                entry = new LibraryEntry(meta.infoHash(), meta.info().name(), data, false, Instant.now(clock), 0, 0);
                entries.add(entry);
            }
            write(entries);
            return entry;
        });
    }

    /** Forgets a torrent and deletes its .torrent copy; empty when it was not remembered. */
    public Optional<LibraryEntry> remove(InfoHash infoHash) throws IOException {
        return locked(() -> {
            List<LibraryEntry> entries = new ArrayList<>(read(new ArrayList<>()));
            Optional<LibraryEntry> gone = entries.stream().filter(e -> e.infoHash().equals(infoHash)).findFirst();
            if (gone.isPresent()) {
                entries.remove(gone.get());
                write(entries);
                Files.deleteIfExists(torrentFile(infoHash));
            }
            return gone;
        });
    }

    /** Marks a torrent paused or not; false when it is not remembered. */
    public boolean setPaused(InfoHash infoHash, boolean paused) throws IOException {
        return update(Map.of(infoHash, e -> e.withPaused(paused)));
    }

    /** Adds each torrent's bytes of this run to its totals, in one write; forgotten torrents are skipped. */
    public void addTotals(Map<InfoHash, Transferred> runs) throws IOException {
        Map<InfoHash, UnaryOperator<LibraryEntry>> changes = new java.util.HashMap<>();
        runs.forEach((hash, t) -> changes.put(hash, e -> e.plusTotals(t.sent(), t.received())));
        update(changes);
    }

    /** The saved .torrent of an entry, checked to be the torrent the entry names. */
    public Metainfo metainfo(LibraryEntry entry) throws IOException, MetainfoException {
        Path copy = torrentFile(entry.infoHash());
        if (!Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(copy.toString(), null, "the saved .torrent is missing");
        }
        Metainfo meta = Metainfo.read(copy);
        if (!meta.infoHash().equals(entry.infoHash())) {
            throw new IOException(copy + " holds torrent " + meta.infoHash().hex() + ", not " + entry.infoHash().hex());
        }
        return meta;
    }

    private boolean update(Map<InfoHash, UnaryOperator<LibraryEntry>> changes) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return locked(() -> {
            List<LibraryEntry> entries = new ArrayList<>(read(new ArrayList<>()));
            boolean any = false;
            for (int i = 0; i < entries.size(); i++) {
                UnaryOperator<LibraryEntry> change = changes.get(entries.get(i).infoHash());
                if (change != null) {
                    entries.set(i, change.apply(entries.get(i)));
                    any = true;
                }
            }
            if (any) {
                write(entries);
            }
            return any;
        });
    }

    /** Reads the list under the lock; moves a bad file aside and says so in {@code problems}. */
    private List<LibraryEntry> read(List<String> problems) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
                throw new IOException("not a regular file of at most " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            Path aside = setAside("cannot be read (" + reason(e) + ")");
            problems.add("the torrent list " + file + " cannot be read (" + reason(e) + "); moved it to " + aside
                    + " and started an empty list");
            return List.of();
        }
        LibraryJson.Decoded decoded;
        try {
            decoded = LibraryJson.decode(bytes);
        } catch (LibraryJson.Corrupt e) {
            Path aside = setAside(e.getMessage());
            problems.add("the torrent list " + file + " is corrupt (" + e.getMessage() + "); moved it to " + aside
                    + " and started an empty list");
            return List.of();
        }
        if (!decoded.rejected().isEmpty()) {
            Path aside = setAside(decoded.rejected().get(0));
            write(decoded.entries());
            problems.add("the torrent list " + file + " has " + decoded.rejected().size() + " invalid "
                    + (decoded.rejected().size() == 1 ? "entry" : "entries") + " (" + String.join("; ", decoded.rejected())
                    + "); kept the original as " + aside + " and loaded the other " + decoded.entries().size());
        }
        return decoded.entries();
    }

    private static String reason(IOException e) {
        return e instanceof NoSuchFileException || e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Renames the list to a new name beside it; a list we cannot even rename stops the command. */
    private Path setAside(String why) throws IOException {
        String stamp = ASIDE_STAMP.format(Instant.now(clock));
        Path aside = dir.resolve(FILE_NAME + ".corrupt-" + stamp);
        for (int n = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
            aside = dir.resolve(FILE_NAME + ".corrupt-" + stamp + "-" + n);
        }
        try {
            Files.move(file, aside);
        } catch (IOException e) {
            throw new IOException("the torrent list " + file + " " + why + " and cannot be moved aside (" + reason(e)
                    + "); move or fix it by hand", e);
        }
        return aside;
    }

    private void write(List<LibraryEntry> entries) throws IOException {
        AtomicFiles.write(file, LibraryJson.encode(entries));
    }

    private interface Action<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding this process's lock, then the lock file's (other processes). */
    private <T> T locked(Action<T> action) throws IOException {
        ownerOnlyDir(dir);
        lock.lock();
        try (FileChannel ch = FileChannel.open(dir.resolve(FILE_NAME + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = acquire(ch)) {
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the lock file. A second TorrentLibrary on the same folder in this process (the
     * JVM allows one lock per file per process) holds it for one short read-modify-write: wait.
     */
    private static FileLock acquire(FileChannel ch) throws IOException {
        while (true) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException e) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the torrent list's lock");
                }
            }
        }
    }

    private static void ownerOnlyDir(Path d) throws IOException {
        if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.createDirectories(d);
        try {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not POSIX (Windows): the user profile's ACLs already keep others out.
        }
    }
}
