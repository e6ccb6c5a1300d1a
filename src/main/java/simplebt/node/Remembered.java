package simplebt.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import simplebt.library.RunTotals;
import simplebt.library.TorrentLibrary;
import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionHost;
import simplebt.swarm.SessionStatus;

/**
 * What {@code seed}, {@code download} and {@code serve} tell the node's torrent list: the
 * torrents they run (so {@code serve} runs them too) and the bytes each sent and received. The
 * list is a convenience: failing to write it is a warning, never the end of a transfer.
 *
 * <p>Threads: the command's thread adds; the command or the shutdown hook saves (RunTotals
 * guards itself).
 */
final class Remembered {
    private final TorrentLibrary library;
    private final RunTotals totals;

    Remembered(Path configDir) {
        this.library = new TorrentLibrary(configDir);
        this.totals = new RunTotals(library);
    }

    TorrentLibrary library() {
        return library;
    }

    void add(Metainfo meta, Path dataDir) {
        try {
            library.add(meta, dataDir);
        } catch (IOException e) {
            Log.warn("cannot add '" + meta.info().name() + "' to the node's torrent list: " + e.getMessage());
        }
    }

    /** Pauses or resumes it in the list, so `serve` skips it or runs it; a failure is a warning. */
    void setPaused(HostedTorrent t, boolean paused) {
        try {
            library.setPaused(t.infoHash(), paused);
        } catch (IOException e) {
            Log.warn("cannot save '" + t.metainfo().info().name() + "' as " + (paused ? "paused" : "resumed")
                    + " in the node's torrent list: " + e.getMessage());
        }
    }

    /** Forgets it (its files stay); a failure is a warning. */
    void forget(HostedTorrent t) {
        try {
            library.remove(t.infoHash());
        } catch (IOException e) {
            Log.warn("cannot remove '" + t.metainfo().info().name() + "' from the node's torrent list: " + e.getMessage());
        }
    }

    /** Adds what the host's torrents sent and received so far to their totals; safe to call again. */
    void saveTotals(SessionHost host) {
        Map<InfoHash, TorrentLibrary.Transferred> soFar = new LinkedHashMap<>();
        for (HostedTorrent t : host.torrents()) {
            SessionStatus s = t.status();
            soFar.put(t.infoHash(), new TorrentLibrary.Transferred(s.uploaded(), s.downloaded()));
        }
        try {
            totals.save(soFar);
        } catch (IOException e) {
            Log.warn("cannot save the upload/download totals: " + e.getMessage());
        }
    }
}
