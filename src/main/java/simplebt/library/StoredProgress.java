package simplebt.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;

import simplebt.metainfo.Info;
import simplebt.metainfo.Metainfo;
import simplebt.storage.ResumeFile;
import simplebt.storage.Storage;

/**
 * A remembered torrent's progress read from its resume file, without hashing anything (a list
 * of a hundred torrents must print at once): the pieces the file claims whose bytes are on
 * disk, as of its last save (every few seconds while running). The files' stamps are not
 * compared ({@link ResumeFile#claimed}): a running download changes them with every piece.
 */
public record StoredProgress(TorrentState state, int piecesDone, int pieceCount, long bytesDone, long size) {

    public static StoredProgress missingTorrent() {
        return new StoredProgress(TorrentState.MISSING_TORRENT, 0, 0, 0, 0);
    }

    public static StoredProgress of(LibraryEntry entry, Metainfo meta) throws IOException {
        Info info = meta.info();
        Path root = entry.dataDir();
        if (!Files.isDirectory(root)) {
            return new StoredProgress(entry.paused() ? TorrentState.PAUSED : TorrentState.MISSING_DATA, 0,
                    info.pieceCount(), 0, info.totalLength());
        }
        ResumeFile resume = new ResumeFile(root, meta.infoHash());
        try (Storage storage = new Storage(root, info)) {
            Optional<BitSet> vouched = resume.claimed(storage);
            BitSet have = vouched.orElseGet(BitSet::new);
            long bytes = 0;
            for (int i = have.nextSetBit(0); i >= 0; i = have.nextSetBit(i + 1)) {
                bytes += info.pieceSize(i);
            }
            TorrentState state;
            if (entry.paused()) {
                state = TorrentState.PAUSED;
            } else if (vouched.isPresent() && have.cardinality() == info.pieceCount()) {
                state = TorrentState.SEEDING;
            } else if (!anyFile(storage)) {
                // it vouched for data once and none is there now; or it was added and nothing came yet
                state = vouched.isPresent() ? TorrentState.MISSING_DATA : TorrentState.DOWNLOADING;
            } else {
                state = vouched.isPresent() ? TorrentState.DOWNLOADING : TorrentState.CHECKING;
            }
            return new StoredProgress(state, have.cardinality(), info.pieceCount(), bytes, info.totalLength());
        }
    }

    private static boolean anyFile(Storage storage) {
        return storage.paths().stream().anyMatch(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS));
    }

    /** 0..1; an empty torrent counts as done. */
    public double fraction() {
        return size == 0 ? (pieceCount == piecesDone ? 1 : 0) : (double) bytesDone / size;
    }
}
