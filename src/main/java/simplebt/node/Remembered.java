package simplebt.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import simplebt.library.RunTotals;
import simplebt.library.TorrentLibrary;
import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionStatus;

/**
 * What {@code seed} and {@code download} tell the node's torrent list: the torrent they run
 * (so {@code serve} runs it too) and, when they stop, its bytes sent and received. The list is
 * a convenience: failing to write it is a warning, never the end of a transfer.
 */
final class Remembered {
    private final InfoHash infoHash;
    private final RunTotals totals;

    private Remembered(InfoHash infoHash, RunTotals totals) {
        this.infoHash = infoHash;
        this.totals = totals;
    }

    static Remembered add(Path configDir, Metainfo meta, Path dataDir) {
        TorrentLibrary library = new TorrentLibrary(configDir);
        try {
            library.add(meta, dataDir);
        } catch (IOException e) {
            Log.warn("cannot add '" + meta.info().name() + "' to the node's torrent list: " + e.getMessage());
        }
        return new Remembered(meta.infoHash(), new RunTotals(library));
    }

    /** Adds this run's bytes (so far) to the totals; safe to call more than once. */
    void saveTotals(SessionStatus status) {
        try {
            totals.save(Map.of(infoHash, new TorrentLibrary.Transferred(status.uploaded(), status.downloaded())));
        } catch (IOException e) {
            Log.warn("cannot save the upload/download totals: " + e.getMessage());
        }
    }
}
