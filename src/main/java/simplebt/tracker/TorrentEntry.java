package simplebt.tracker;

/**
 * A registered torrent as stored: what the listing shows, who uploaded it when (epoch seconds),
 * the swarm secret (hex, 32 random bytes) and the durable completed count.
 */
record TorrentEntry(String infoHash, String name, long size, int fileCount, int pieceLength, boolean isPrivate,
                    String uploader, long uploaded, String secret, long completed) {
    TorrentEntry withCompleted(long count) {
        return new TorrentEntry(infoHash, name, size, fileCount, pieceLength, isPrivate, uploader, uploaded, secret, count);
    }
}
