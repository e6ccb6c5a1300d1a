package simplebt.dht;

import simplebt.swarm.HostedTorrent;
import simplebt.swarm.TorrentSession;

/**
 * Puts a running torrent on the DHT: looks it up and announces it every 15-30 minutes, and
 * hands the peers found to the torrent's dialer. Private torrents (BEP 27) stay off the DHT:
 * for them nothing is sent, not even a lookup.
 */
public final class TorrentDht {
    private TorrentDht() {
    }

    /** The handle stops the tracking; for a private torrent it does nothing. */
    public static AutoCloseable attach(DhtNode dht, TorrentSession session) {
        if (session.metainfo().info().isPrivate()) {
            return () -> { };
        }
        return dht.track(NodeId.of(session.infoHash()), session.port(), true, session::addPeers);
    }

    /**
     * A torrent of a host, whatever session it has now: a dormant one (no session) stays on the
     * DHT, and the peers found go to the session it has when they are found (none while dormant:
     * the leechers come to a seed). Tracking the session itself kept every ended session reachable.
     */
    public static AutoCloseable attach(DhtNode dht, HostedTorrent torrent, int port) {
        if (torrent.metainfo().info().isPrivate()) {
            return () -> { };
        }
        return dht.track(NodeId.of(torrent.infoHash()), port, true,
                peers -> torrent.session().ifPresent(s -> s.addPeers(peers)));
    }
}
