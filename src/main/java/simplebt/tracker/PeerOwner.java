package simplebt.tracker;

import java.nio.ByteBuffer;

/**
 * Whom a peer entry belongs to, for limits and for who may change it: a user (by passkey) when
 * the announce carried a valid one, otherwise the client's address (IPv6 per /64, since one
 * host can use a whole /64). {@code id} packs either into one long: the passkey's first 64
 * random bits, or the address.
 */
record PeerOwner(long id, boolean account) {
    static PeerOwner ofAccount(String passkey) {
        return new PeerOwner(Long.parseUnsignedLong(passkey.substring(0, 16), 16), true);
    }

    static PeerOwner ofAddress(byte[] ip) {
        if (ip.length == 4) {
            // Bit 32 marks IPv4, so 10.0.0.1 never equals an IPv6 /64 or a small passkey id.
            return new PeerOwner(1L << 32 | (ByteBuffer.wrap(ip).getInt() & 0xffffffffL), false);
        }
        return new PeerOwner(ByteBuffer.wrap(ip).getLong(), false);
    }
}
