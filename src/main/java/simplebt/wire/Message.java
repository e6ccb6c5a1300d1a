package simplebt.wire;

import java.util.Arrays;

/**
 * The BEP 3 peer messages (plus BEP 6 fast and BEP 10 extended), one record each. Compact constructors reject
 * values no well-formed message can carry; limits that depend on the torrent are checked by
 * {@link MessageCodec}.
 */
public sealed interface Message {
    /** Largest block we request or serve; BEP 3 clients use 16 KiB. */
    int MAX_BLOCK = 16 * 1024;

    // Message ids, BEP 3 (and BEP 10 for 20).
    byte CHOKE = 0;
    byte UNCHOKE = 1;
    byte INTERESTED = 2;
    byte NOT_INTERESTED = 3;
    byte HAVE = 4;
    byte BITFIELD = 5;
    byte REQUEST = 6;
    byte PIECE = 7;
    byte CANCEL = 8;
    // BEP 6 (fast extension): only between peers that both set the fast bit in the handshake.
    byte SUGGEST = 0x0D;
    byte HAVE_ALL = 0x0E;
    byte HAVE_NONE = 0x0F;
    byte REJECT = 0x10;
    byte ALLOWED_FAST = 0x11;
    byte EXTENDED = 20;

    /** A frame of length zero: keeps the connection open. */
    record KeepAlive() implements Message {
    }

    record Choke() implements Message {
    }

    record Unchoke() implements Message {
    }

    record Interested() implements Message {
    }

    record NotInterested() implements Message {
    }

    /** The sender now has (a verified copy of) piece {@code index}. */
    record Have(int index) implements Message {
        public Have {
            requireNonNegative("piece index", index);
        }
    }

    /** One bit per piece, high bit of the first byte is piece 0; spare bits are zero. */
    record Bitfield(byte[] bits) implements Message {
        public Bitfield {
            bits = bits.clone();
        }

        @Override
        public byte[] bits() {
            return bits.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bitfield b && Arrays.equals(bits, b.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return "Bitfield[" + bits.length + " bytes]";
        }
    }

    record Request(int index, int begin, int length) implements Message {
        public Request {
            requireBlock(index, begin, length);
        }
    }

    /**
     * A block of data. The array is not copied: on the receiving path it may be a buffer the
     * connection reuses for the next frame, so a handler must consume it before reading on.
     */
    record Piece(int index, int begin, byte[] block) implements Message {
        public Piece {
            requireBlock(index, begin, block.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Piece p && p.index == index && p.begin == begin && Arrays.equals(block, p.block);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * index + begin) + Arrays.hashCode(block);
        }

        @Override
        public String toString() {
            return "Piece[index=" + index + ", begin=" + begin + ", length=" + block.length + "]";
        }
    }

    record Cancel(int index, int begin, int length) implements Message {
        public Cancel {
            requireBlock(index, begin, length);
        }
    }

    /** BEP 6: the sender suggests we download this piece (advisory). */
    record Suggest(int index) implements Message {
        public Suggest {
            requireNonNegative("piece index", index);
        }
    }

    /** BEP 6: instead of a bitfield, as the first message: the sender has every piece. */
    record HaveAll() implements Message {
    }

    /** BEP 6: instead of a bitfield, as the first message: the sender has no piece. */
    record HaveNone() implements Message {
    }

    /** BEP 6: the sender will not serve this request (it was choked, or the sender cannot). */
    record Reject(int index, int begin, int length) implements Message {
        public Reject {
            requireBlock(index, begin, length);
        }
    }

    /** BEP 6: the receiver may request this piece even while choked by the sender. */
    record AllowedFast(int index) implements Message {
        public AllowedFast {
            requireNonNegative("piece index", index);
        }
    }

    /** BEP 10: id 0 is the extension handshake, others are the ids the receiver assigned. */
    record Extended(int extendedId, byte[] payload) implements Message {
        public Extended {
            if (extendedId < 0 || extendedId > 255) {
                throw new IllegalArgumentException("extended id must be 0..255, got " + extendedId);
            }
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Extended e && e.extendedId == extendedId && Arrays.equals(payload, e.payload);
        }

        @Override
        public int hashCode() {
            return 31 * extendedId + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Extended[id=" + extendedId + ", " + payload.length + " bytes]";
        }
    }

    /**
     * A message id we do not speak (e.g. BEP 5 port); its payload was
     * skipped, so the connection stays in step.
     */
    record Unknown(int id, int length) implements Message {
    }

    private static void requireNonNegative(String what, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + value);
        }
    }

    private static void requireBlock(int index, int begin, int length) {
        requireNonNegative("piece index", index);
        requireNonNegative("block offset", begin);
        if (length <= 0) {
            throw new IllegalArgumentException("block length must be positive, got " + length);
        }
    }
}
