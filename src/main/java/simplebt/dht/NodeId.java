package simplebt.dht;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

import simplebt.metainfo.InfoHash;

/** A 160-bit DHT node id or lookup target (BEP 5); distances are XOR, compared as unsigned numbers. */
public record NodeId(byte[] bytes) {
    public static final int LENGTH = 20;
    public static final int BITS = LENGTH * 8;

    public NodeId {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id has 20 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** BEP 5: a torrent's info hash is a point in the same 160-bit space; its peers are kept by the nodes closest to it. */
    public static NodeId of(InfoHash infoHash) {
        return new NodeId(infoHash.bytes());
    }

    public static NodeId random(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new NodeId(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** How many leading bits this id shares with {@code other} (160 when equal). */
    public int commonPrefix(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Negative when {@code a} is closer to this id than {@code b}. */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** A random id that shares exactly {@code prefix} leading bits with this one (for refreshing a bucket). */
    public NodeId randomWithPrefix(int prefix, RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        for (int bit = 0; bit < Math.min(prefix + 1, BITS); bit++) {
            int mask = 0x80 >>> (bit % 8);
            boolean mine = (bytes[bit / 8] & mask) != 0;
            boolean set = bit < prefix ? mine : !mine; // the bit after the prefix differs
            b[bit / 8] = (byte) (set ? b[bit / 8] | mask : b[bit / 8] & ~mask);
        }
        return new NodeId(b);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
