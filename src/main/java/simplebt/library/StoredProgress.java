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
 * of a hundred torrents must print at once): the pieces the file still vouches for (it checks
 * the files' sizes and times itself), as of its last save (every few seconds while running).
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
            Optional<BitSet> vouched = resume.load(storage);
            BitSet have = vouched.orElseGet(BitSet::new);
            long bytes = 0;
            for (int i = have.nextSetBit(0); i >= 0; i = have.nextSetBit(i + 1)) {
                bytes += info.pieceSize(i);
            }
            TorrentState state;
            if (entry.paused()) {
                state = TorrentState.PAUSED;
            } else if (vouched.isPresent()) {
                state = have.cardinality() == info.pieceCount() ? TorrentState.SEEDING : TorrentState.DOWNLOADING;
            } else if (storage.paths().stream().anyMatch(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))) {
                state = TorrentState.CHECKING;
            } else if (Files.exists(resume.path(), LinkOption.NOFOLLOW_LINKS)) {
                state = TorrentState.MISSING_DATA; // it vouched for data once; none of it is there now
            } else {
                state = TorrentState.DOWNLOADING; // added, nothing fetched yet
            }
            return new StoredProgress(state, have.cardinality(), info.pieceCount(), bytes, info.totalLength());
        }
    }

    /** 0..1; an empty torrent counts as done. */
    public double fraction() {
        return size == 0 ? (pieceCount == piecesDone ? 1 : 0) : (double) bytesDone / size;
    }
}
