package simplebt.library;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

import simplebt.metainfo.InfoHash;

/**
 * One torrent the node remembers: which it is, where its data lives (the folder that holds the
 * torrent's file or folder, as {@code --data}/{@code --out} name it), whether it is paused, when
 * it was added, and the bytes sent and received over every run (for the ratio). The .torrent
 * itself is kept beside the list, named by the info hash ({@link TorrentLibrary#torrentFile}).
 *
 * @param name shown to people only; never used to build a path (the .torrent's own name is)
 */
public record LibraryEntry(InfoHash infoHash, String name, Path dataDir, boolean paused, Instant added,
                           long uploaded, long downloaded) {
    public LibraryEntry {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(added, "added");
        if (!dataDir.isAbsolute()) {
            throw new IllegalArgumentException("data folder must be an absolute path, got " + dataDir);
        }
        dataDir = dataDir.normalize();
        if (uploaded < 0 || downloaded < 0) {
            throw new IllegalArgumentException("negative byte totals");
        }
    }

    public LibraryEntry withPaused(boolean value) {
        return new LibraryEntry(infoHash, name, dataDir, value, added, uploaded, downloaded);
    }

    public LibraryEntry withDataDir(Path value) {
        return new LibraryEntry(infoHash, name, value, paused, added, uploaded, downloaded);
    }

    /** Adds a run's bytes to the totals (saturating: a total never wraps negative). */
    public LibraryEntry plusTotals(long sent, long received) {
        return new LibraryEntry(infoHash, name, dataDir, paused, added, saturatingAdd(uploaded, sent),
                saturatingAdd(downloaded, received));
    }

    /**
     * Uploaded over downloaded; over the torrent's size when nothing was downloaded (a torrent we
     * created and seed from the start), as Transmission counts it, so a seeder's ratio means
     * "copies given away" rather than infinity.
     */
    public double ratio(long torrentSize) {
        long base = downloaded > 0 ? downloaded : torrentSize;
        return base <= 0 ? 0 : (double) uploaded / base;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + Math.max(0, b);
        return sum < a ? Long.MAX_VALUE : sum;
    }
}
