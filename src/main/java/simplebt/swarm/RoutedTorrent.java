package simplebt.swarm;

import java.util.function.Consumer;

import simplebt.metainfo.InfoHash;
import simplebt.secure.EncryptionMode;
import simplebt.secure.PeerSecurityMemory;

/**
 * What the {@link IncomingRouter} needs of a running torrent to hand it incoming connections:
 * its policy ({@code --encryption}), its secure-channel key and memory, and where an
 * authenticated pipe goes ({@code accept} runs on the connection's own thread).
 */
record RoutedTorrent(InfoHash infoHash, EncryptionMode encryption, SwarmKeyHolder key, PeerSecurityMemory memory,
                     Consumer<PeerStreams> accept) {
}
