package simplebt.swarm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

import simplebt.secure.EncryptionMode;
import simplebt.storage.FileSelection;

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
 * @param encryption      the {@code --encryption} setting (docs/secure-channel.md); {@code off}
 *                        here, so a bare library session speaks plain BEP 3 to anything; the
 *                        node's default (command line and settings) is {@code preferred}
 * @param checkProgress   told how many bytes of existing data were checked so far
 * @param configDir       the user's config dir, where swarm secrets from the tracker are kept
 *                        (mode 600) for restarts and tracker outages; empty keeps none
 * @param selection       which files to fetch ({@code --only}); the others are not created, and
 *                        the bytes of shared pieces that belong to them go to the part file
 * @param directWrites    whole verified pieces are written around the page cache (O_DIRECT,
 *                        see storage/DirectWrites); false ({@code --direct-writes off}) writes
 *                        every piece through it, for a disk slower than the copy it saves
 */
public record SessionOptions(Path dataDir, InetAddress bind, int port, List<InetSocketAddress> peers,
                             List<String> trackers, boolean useTrackers, int maxPeers, EncryptionMode encryption,
                             LongConsumer checkProgress, Optional<Path> configDir, FileSelection selection,
                             boolean directWrites) {
    public static final int DEFAULT_PORT = 6881;

    public SessionOptions {
        peers = List.copyOf(peers);
        trackers = List.copyOf(trackers);
    }

    public static SessionOptions of(Path dataDir) {
        return new SessionOptions(dataDir, null, DEFAULT_PORT, List.of(), List.of(), true, 60, EncryptionMode.OFF,
                done -> { }, Optional.empty(), FileSelection.ALL, true);
    }

    public SessionOptions withBind(InetAddress value) {
        return new SessionOptions(dataDir, value, port, peers, trackers, useTrackers, maxPeers, encryption, checkProgress, configDir, selection, directWrites);
    }

    public SessionOptions withPort(int value) {
        return new SessionOptions(dataDir, bind, value, peers, trackers, useTrackers, maxPeers, encryption, checkProgress, configDir, selection, directWrites);
    }

    public SessionOptions withPeers(List<InetSocketAddress> value) {
        return new SessionOptions(dataDir, bind, port, value, trackers, useTrackers, maxPeers, encryption, checkProgress, configDir, selection, directWrites);
    }

    public SessionOptions withTrackers(List<String> value) {
        return new SessionOptions(dataDir, bind, port, peers, value, useTrackers, maxPeers, encryption, checkProgress, configDir, selection, directWrites);
    }

    public SessionOptions withUseTrackers(boolean value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, value, maxPeers, encryption, checkProgress, configDir, selection, directWrites);
    }

    public SessionOptions withMaxPeers(int value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, value, encryption, checkProgress, configDir, selection, directWrites);
    }

    public SessionOptions withEncryption(EncryptionMode value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, maxPeers, value, checkProgress, configDir, selection, directWrites);
    }

    public SessionOptions withConfigDir(Path value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, maxPeers, encryption, checkProgress,
                Optional.of(value), selection, directWrites);
    }

    public SessionOptions withCheckProgress(LongConsumer value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, maxPeers, encryption, value, configDir, selection, directWrites);
    }

    public SessionOptions withSelection(FileSelection value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, maxPeers, encryption, checkProgress,
                configDir, value, directWrites);
    }

    public SessionOptions withDirectWrites(boolean value) {
        return new SessionOptions(dataDir, bind, port, peers, trackers, useTrackers, maxPeers, encryption, checkProgress,
                configDir, selection, value);
    }
}
