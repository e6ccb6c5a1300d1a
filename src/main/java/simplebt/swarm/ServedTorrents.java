package simplebt.swarm;

import java.util.List;
import java.util.Optional;

import simplebt.metainfo.InfoHash;
import simplebt.secure.EncryptionMode;

/**
 * The torrents a node's listening port serves right now, for a responder that must find which
 * one an incoming connection means before the BEP 3 handshake is readable (MSE/PE's SKEY is
 * the info hash: the responder tries each). Safe from any thread; a snapshot per call.
 */
public interface ServedTorrents {
    /** The info hashes of the running torrents (paused and checking ones are not served). */
    List<InfoHash> infoHashes();

    /** The {@code --encryption} policy of a served torrent; empty if it is not served. */
    Optional<EncryptionMode> encryption(InfoHash infoHash);
}
