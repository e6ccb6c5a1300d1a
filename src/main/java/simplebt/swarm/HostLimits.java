package simplebt.swarm;

/**
 * The limits every torrent of a {@link SessionHost} shares: connection and upload-slot caps,
 * and the token buckets for piece data both ways. Each part guards its own state.
 */
final class HostLimits {
    private final ConnectionSlots connections;
    private final UploadSlots uploadSlots;
    private final TokenBucket upload;
    private final TokenBucket download;

    HostLimits(HostOptions options) {
        this.connections = new ConnectionSlots(options.maxConnections());
        this.uploadSlots = new UploadSlots(options.uploadSlots());
        this.upload = new TokenBucket(options.maxUploadRate());
        this.download = new TokenBucket(options.maxDownloadRate());
    }

    /** No process-wide limit at all (a swarm built on its own, in tests). */
    static HostLimits none() {
        return new HostLimits(HostOptions.of());
    }

    ConnectionSlots connections() {
        return connections;
    }

    UploadSlots uploadSlots() {
        return uploadSlots;
    }

    /** Piece data we send, all torrents together. */
    TokenBucket upload() {
        return upload;
    }

    /** Piece data we receive, all torrents together. */
    TokenBucket download() {
        return download;
    }
}
