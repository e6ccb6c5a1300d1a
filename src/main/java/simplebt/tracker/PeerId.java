package simplebt.tracker;

import java.nio.ByteBuffer;

/**
 * A 20-byte peer id packed into three primitives, so a peer costs one small object instead of
 * a record plus a byte array: the swarm map keys on it.
 */
record PeerId(long high, long middle, int low) {
    static final int LENGTH = 20;

    static PeerId of(byte[] id) {
        if (id.length != LENGTH) {
            throw new IllegalArgumentException("peer id must be 20 bytes, got " + id.length);
        }
        ByteBuffer b = ByteBuffer.wrap(id);
        return new PeerId(b.getLong(), b.getLong(), b.getInt());
    }

    byte[] bytes() {
        return ByteBuffer.allocate(LENGTH).putLong(high).putLong(middle).putInt(low).array();
    }

    /** Our own nodes use Azureus-style ids starting with {@code -SJ} (wire.Handshake; BEP 20 gives -SB to Swiftbit). */
    boolean isOurNode() {
        return (high >>> 40) == (('-' << 16) | ('S' << 8) | 'J');
    }
}
