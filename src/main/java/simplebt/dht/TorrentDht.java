package simplebt.dht;

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
        return dht.track(new NodeId(session.infoHash().bytes()), session.port(), true, session::addPeers);
    }
}
