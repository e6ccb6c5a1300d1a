package simplebt.swarm;

import java.net.InetAddress;

/**
 * How to run a {@link SessionHost}: what is shared by every torrent of the process. Build with
 * {@link #of()} and the {@code with*} methods. Per-torrent settings stay in {@link SessionOptions}
 * (its {@code bind} and {@code port} apply only to a session started on its own, a host of one).
 *
 * @param bind            address to listen on (null: all)
 * @param port            the one listening port; 0 picks a free one; if taken, the next few are tried
 * @param maxConnections  peer connections of all torrents together; 0 = no cap beyond each
 *                        torrent's {@code maxPeers}
 * @param uploadSlots     peers unchoked at once over all torrents; 0 = no cap beyond each torrent's choker
 * @param maxUploadRate   bytes/s of piece data sent, all torrents together; 0 = no limit
 * @param maxDownloadRate bytes/s of piece data received, all torrents together; 0 = no limit
 */
public record HostOptions(InetAddress bind, int port, int maxConnections, int uploadSlots, long maxUploadRate,
                          long maxDownloadRate) {
    /** What the node's commands use when not told otherwise: well above one busy torrent's 60 peers. */
    public static final int DEFAULT_MAX_CONNECTIONS = 500;
    /** The node's default: a few torrents can each upload to several peers; libtorrent's default is 8. */
    public static final int DEFAULT_UPLOAD_SLOTS = 20;

    public HostOptions {
        if (port < 0 || port > 65535 || maxConnections < 0 || uploadSlots < 0 || maxUploadRate < 0 || maxDownloadRate < 0) {
            throw new IllegalArgumentException("bad host options: port " + port + ", connections " + maxConnections
                    + ", upload slots " + uploadSlots + ", rates " + maxUploadRate + "/" + maxDownloadRate);
        }
    }

    /** All interfaces, port 6881, no process-wide caps (a library host behaves as separate sessions did). */
    public static HostOptions of() {
        return new HostOptions(null, SessionOptions.DEFAULT_PORT, 0, 0, 0, 0);
    }

    /** The bind address and port of a session started on its own ({@link TorrentSession#start}). */
    static HostOptions forOne(SessionOptions session) {
        return of().withBind(session.bind()).withPort(session.port());
    }

    public HostOptions withBind(InetAddress value) {
        return new HostOptions(value, port, maxConnections, uploadSlots, maxUploadRate, maxDownloadRate);
    }

    public HostOptions withPort(int value) {
        return new HostOptions(bind, value, maxConnections, uploadSlots, maxUploadRate, maxDownloadRate);
    }

    public HostOptions withMaxConnections(int value) {
        return new HostOptions(bind, port, value, uploadSlots, maxUploadRate, maxDownloadRate);
    }

    public HostOptions withUploadSlots(int value) {
        return new HostOptions(bind, port, maxConnections, value, maxUploadRate, maxDownloadRate);
    }

    public HostOptions withMaxUploadRate(long value) {
        return new HostOptions(bind, port, maxConnections, uploadSlots, value, maxDownloadRate);
    }

    public HostOptions withMaxDownloadRate(long value) {
        return new HostOptions(bind, port, maxConnections, uploadSlots, maxUploadRate, value);
    }
}
