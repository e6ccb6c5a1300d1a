package simplebt.tracker;

import simplebt.cli.UsageException;

/**
 * How many peer entries the tracker holds: {@code perTorrent} for one passkey (or address,
 * without a passkey) in one swarm, {@code perOwner} for one across the tracker, {@code total}
 * in all, and at most {@code swarms} swarms. Written {@code PER_TORRENT/PER_OWNER} on the
 * command line ({@code --peer-limit 8/5000}); a benchmark that announces thousands of peers
 * from one address raises it.
 */
public record PeerLimits(int perTorrent, int perOwner, int total, int swarms) {
    /** A user with a few clients, or a household behind one address; a seedbox with thousands of torrents. */
    public static final PeerLimits DEFAULT = new PeerLimits(8, 5_000, 1_000_000, 100_000);

    public PeerLimits {
        if (perTorrent < 1 || perOwner < perTorrent || total < perOwner || swarms < 1) {
            throw new IllegalArgumentException("peer limits must be at least 1 and grow from per torrent to total");
        }
    }

    static PeerLimits parse(String text) throws UsageException {
        int[] n = SignupRate.twoNumbers(text);
        if (n != null && n[0] >= 1 && n[1] >= n[0] && n[1] <= DEFAULT.total()) {
            return new PeerLimits(n[0], n[1], DEFAULT.total(), DEFAULT.swarms());
        }
        throw new UsageException("--peer-limit must be PER_TORRENT/PER_OWNER with 1 <= PER_TORRENT <= PER_OWNER <= "
                + DEFAULT.total() + ", e.g. 8/5000; got '" + text + "'");
    }
}
