package simplebt.tracker;

import java.util.List;

/**
 * A registered torrent as stored: what the listing shows, who uploaded it when (epoch seconds),
 * the swarm secret (hex, 32 random bytes), the completed count, and on disk only the users who
 * completed it ({@code completedBy}, so each counts once across restarts; null in memory and in
 * files from before it was kept).
 */
record TorrentEntry(String infoHash, String name, long size, int fileCount, int pieceLength, boolean isPrivate,
                    String uploader, long uploaded, String secret, long completed, List<String> completedBy) {
    TorrentEntry withCompleted(long count, List<String> by) {
        return new TorrentEntry(infoHash, name, size, fileCount, pieceLength, isPrivate, uploader, uploaded, secret,
                count, by);
    }
}
