package simplebt.secure;

/**
 * An incoming secure connection: the served torrent the initiator proved it knows (its tag
 * matched, and its key confirmation opened), and the streams. The engine must still check
 * that the BitTorrent handshake inside the channel names this same info hash.
 */
public record Accepted(SwarmKey key, SecureStreams streams) {
}
