package simplebt.swarm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * How to run one torrent. Build with {@link #of(Path)} and the {@code with*} methods.
 *
 * @param dataDir         the folder that holds (or will hold) the torrent's file or folder
 * @param bind            address to listen on (any by default)
 * @param port            listen port; 0 picks a free one; if taken, the next few are tried
 * @param peers           peers to connect to directly ({@code --peer}), retried while needed
 * @param trackers        announce URLs; empty means the torrent's own
 * @param useTrackers     false skips trackers entirely (only {@code peers})
 * @param maxPeers        connection limit
 * @param encryption      the {@code --encryption} setting (carried for the secure channel)
 * @param connector       opens outgoing connections (plain TCP by default)
 * @param foreign         handles incoming connections that are not plain BitTorrent
 * @param checkProgress   told how many bytes of existing data were checked so far
 */
public record SessionOptions(Path dataDir, InetAddress bind, int port, List<InetSocketAddress> peers,
                             List<String> trackers, boolean useTrackers, int maxPeers, Encryption encryption,
                             PeerConnector connector, ForeignHandler foreign, LongConsumer checkProgress) {
    public static final int DEFAULT_PORT = 6881;

    public SessionOptions {
        peers = List.copyOf(peers);
        trackers = List.copyOf(trackers);
    }

    public static SessionOptions of(Path dataDir) {
        return new SessionOptions(dataDir, null, DEFAULT_PORT, List.of(), List.of(), true, 60, Encryption.OFF,
                new PlainTransport(), ForeignHandler.CLOSE, done -> { });
    }

    public SessionOptions withBind(InetAddress value) {
        return new SessionOptions(dataDir, value, port, peers, trackers, useTrackers, maxPeers, encryption, connector, foreign, checkProgress);
    }

    public SessionOptions withPort(int value) {
        return new SessionOptions(dataDir, bind, value, peers, trackers, useTrackers, maxPeers, encryption, connector, foreign, checkProgress);
    }

    public SessionOptions withPeers(List<InetSocketAddress> value) {
        return new SessionOptions(dataDir, bind, port, value, trackers, useTrackers, maxPeers, encryption, connector, foreign, checkProgress);
    }

    public SessionOptions withTrackers(List<String> value) {
        return new SessionOptions(dataDir, bind, port, peers, value, useTrackers, maxPeers, encryption, connector, foreign, checkProgress);
    }

    public SessionOptions withUseTrackers(boolean value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, value, maxPeers, encryption, connector, foreign, checkProgress);
    }

    public SessionOptions withMaxPeers(int value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, value, encryption, connector, foreign, checkProgress);
    }

    public SessionOptions withEncryption(Encryption value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, maxPeers, value, connector, foreign, checkProgress);
    }

    public SessionOptions withConnector(PeerConnector value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, maxPeers, encryption, value, foreign, checkProgress);
    }

    public SessionOptions withForeign(ForeignHandler value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, maxPeers, encryption, connector, value, checkProgress);
    }

    public SessionOptions withCheckProgress(LongConsumer value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, maxPeers, encryption, connector, foreign, value);
    }
}
