package simplebt.mse;

import java.security.MessageDigest;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

import simplebt.metainfo.InfoHash;

/**
 * How a responder finds the torrent an initiator asks for: the handshake carries only
 * HASH('req2', info hash), so the responder compares it with that hash of every torrent it serves.
 */
@FunctionalInterface
public interface TorrentLookup {
    /** The served torrent whose HASH('req2', info hash) is {@code req2}, if any. */
    Optional<InfoHash> byReq2(byte[] req2);

    /**
     * Over the torrents served at the time of the handshake (asked anew each time, so a torrent
     * added later is found). One SHA-1 per torrent per handshake: about a microsecond each.
     */
    static TorrentLookup of(Supplier<? extends Collection<InfoHash>> served) {
        return req2 -> served.get().stream().filter(h -> MessageDigest.isEqual(MseHashes.req2(h), req2)).findFirst();
    }
}
