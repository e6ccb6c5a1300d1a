package simplebt.node;

import simplebt.cli.Units;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionStatus;

/**
 * What the Transfers table shows of one torrent: a read-only snapshot, so the table can be
 * drawn and tested without a running session.
 *
 * @param verified   bytes of hash-checked pieces held (for CHECKING: bytes checked so far)
 * @param downloaded payload bytes received since the torrent was added (all its sessions)
 * @param uploaded   payload bytes sent since the torrent was added
 * @param state      what it is doing, as the table says it ("downloading", "seeding", "paused", ...)
 */
record TransferRow(String name, long size, long verified, double downRate, double upRate, int peers,
                   long downloaded, long uploaded, String state) {

    /** The row for a torrent of the node's session host, as it is now. */
    static TransferRow of(HostedTorrent t) {
        SessionStatus s = t.status();
        HostedTorrent.State state = t.state();
        String text = switch (state) {
            case CHECKING -> "checking " + Units.oneDecimal(s.totalBytes() == 0 ? 100 : 100.0 * t.checkedBytes() / s.totalBytes()) + "%";
            case DOWNLOADING -> "downloading";
            case SEEDING -> "seeding";
            case PAUSED -> "paused";
            case FAILED -> "failed";
            case STOPPED -> "removed";
        };
        return new TransferRow(t.name(), s.totalBytes(), s.verifiedBytes(), s.downloadRate(), s.uploadRate(),
                s.peers(), s.downloaded(), s.uploaded(), text);
    }

    String progress() {
        double percent = size == 0 ? 100 : 100.0 * verified / size;
        // 99.96 % must not read as 100.0 % while a piece is still missing
        double shown = verified < size ? Math.min(percent, 99.9) : percent;
        return Units.oneDecimal(shown) + "%";
    }

    /**
     * Uploaded over downloaded, where "downloaded" is at least what we hold: a torrent seeded
     * from our own files downloaded nothing, and counting its size instead gives the useful
     * "copies given away" (qBittorrent counts the same way).
     */
    double ratio() {
        long base = Math.max(downloaded, verified);
        return base == 0 ? 0 : (double) uploaded / base;
    }

    String ratioText() {
        return String.format(java.util.Locale.ROOT, "%.2f", ratio());
    }
}
