package simplebt.swarm;

import java.util.BitSet;

/**
 * Which pieces someone has. Not thread-safe: each owner guards its own (a connection's is
 * touched only by its reader thread and, under the picker's lock, by the picker).
 */
public final class Bitfield {
    private final int size;
    private final BitSet bits;
    private int count;

    public Bitfield(int size) {
        this.size = size;
        this.bits = new BitSet(size);
    }

    /** From wire bytes (BEP 3: high bit of byte 0 is piece 0); the codec already checked the length. */
    public static Bitfield fromBytes(byte[] bytes, int size) {
        Bitfield b = new Bitfield(size);
        for (int i = 0; i < size; i++) {
            if ((bytes[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
                b.set(i);
            }
        }
        return b;
    }

    /** Parses "* *  *" style pictures used by tests: '*' or '1' means has. */
    public static Bitfield parse(String picture) {
        Bitfield b = new Bitfield(picture.length());
        for (int i = 0; i < picture.length(); i++) {
            if (picture.charAt(i) == '*' || picture.charAt(i) == '1') {
                b.set(i);
            }
        }
        return b;
    }

    public static Bitfield full(int size) {
        Bitfield b = new Bitfield(size);
        b.bits.set(0, size);
        b.count = size;
        return b;
    }

    public byte[] toBytes() {
        byte[] out = new byte[(size + 7) / 8];
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return out;
    }

    public int size() {
        return size;
    }

    public boolean get(int index) {
        return bits.get(index);
    }

    /** @return true when the bit was newly set */
    public boolean set(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + size);
        }
        if (bits.get(index)) {
            return false;
        }
        bits.set(index);
        count++;
        return true;
    }

    public int count() {
        return count;
    }

    public boolean isComplete() {
        return count == size;
    }

    public int nextSet(int from) {
        return bits.nextSetBit(from);
    }

    public Bitfield copy() {
        Bitfield b = new Bitfield(size);
        b.bits.or(bits);
        b.count = count;
        return b;
    }

    /** True when {@code other} has some piece this one lacks. */
    public boolean lacksAnyOf(Bitfield other) {
        BitSet missing = (BitSet) other.bits.clone();
        missing.andNot(bits);
        return !missing.isEmpty();
    }

    /** True when this holds some piece of {@code pieces}. */
    boolean intersects(BitSet pieces) {
        return bits.intersects(pieces);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            sb.append(bits.get(i) ? '*' : ' ');
        }
        return sb.toString();
    }
}
