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
    /** The info hashes of the torrents it serves: running and dormant ones (a waking one too); not paused ones, nor one checking before its start. */
    List<InfoHash> infoHashes();

    /** The {@code --encryption} policy of a served torrent; empty if it is not served. */
    Optional<EncryptionMode> encryption(InfoHash infoHash);
}
