package simplebt.wire;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.IntFunction;

/**
 * Reads and writes length-prefixed BEP 3 frames: {@code <length:4><id:1><payload>}. Holds only
 * the torrent's shape, no state. Every length and field is checked before anything is
 * allocated; a bad frame throws {@link WireException} saying what was expected and what came.
 */
public final class MessageCodec {
    /** BEP 10 extension messages we accept (the handshake dict is small; ut_metadata fits). */
    public static final int MAX_EXTENDED = Message.MAX_BLOCK + 1024;
    /** Unknown ids are skipped up to this size; anything bigger is not a message we can skip safely. */
    public static final int MAX_UNKNOWN = Message.MAX_BLOCK + 13;

    private final TorrentShape shape;

    public MessageCodec(TorrentShape shape) {
        this.shape = shape;
    }

    public TorrentShape shape() {
        return shape;
    }

    public Message read(DataInput in) throws IOException {
        return read(in, byte[]::new);
    }

    /**
     * @param blocks gives the array a piece payload is read into (exactly the block length),
     *               so a connection can reuse one buffer instead of allocating per block
     */
    public Message read(DataInput in, IntFunction<byte[]> blocks) throws IOException {
        int length = in.readInt();
        if (length == 0) {
            return new Message.KeepAlive();
        }
        if (length < 0) {
            throw new WireException("frame length " + Integer.toUnsignedString(length) + " is over the limit");
        }
        int id = in.readUnsignedByte();
        return switch (id) {
            case Message.CHOKE -> empty(id, length, new Message.Choke());
            case Message.UNCHOKE -> empty(id, length, new Message.Unchoke());
            case Message.INTERESTED -> empty(id, length, new Message.Interested());
            case Message.NOT_INTERESTED -> empty(id, length, new Message.NotInterested());
            case Message.HAVE -> readHave(in, length);
            case Message.BITFIELD -> readBitfield(in, length);
            case Message.REQUEST -> {
                expectLength("request", length, 13);
                int[] f = readBlockRef(in, "request");
                yield new Message.Request(f[0], f[1], f[2]);
            }
            case Message.CANCEL -> {
                expectLength("cancel", length, 13);
                int[] f = readBlockRef(in, "cancel");
                yield new Message.Cancel(f[0], f[1], f[2]);
            }
            case Message.PIECE -> readPiece(in, length, blocks);
            case Message.SUGGEST -> new Message.Suggest(readIndex(in, "suggest", length));
            case Message.HAVE_ALL -> empty(id, length, new Message.HaveAll());
            case Message.HAVE_NONE -> empty(id, length, new Message.HaveNone());
            case Message.REJECT -> {
                expectLength("reject", length, 13);
                int[] f = readBlockRef(in, "reject");
                yield new Message.Reject(f[0], f[1], f[2]);
            }
            case Message.ALLOWED_FAST -> new Message.AllowedFast(readIndex(in, "allowed fast", length));
            case Message.EXTENDED -> readExtended(in, length);
            default -> skipUnknown(in, id, length);
        };
    }

    private static Message empty(int id, int length, Message message) throws WireException {
        expectLength("message id " + id, length, 1);
        return message;
    }

    private Message readHave(DataInput in, int length) throws IOException {
        return new Message.Have(readIndex(in, "have", length));
    }

    /** A frame whose payload is one piece index (have, suggest, allowed fast), checked against the torrent. */
    private int readIndex(DataInput in, String what, int length) throws IOException {
        expectLength(what, length, 5);
        int index = in.readInt();
        checkIndex(what, index);
        return index;
    }

    private Message readBitfield(DataInput in, int length) throws IOException {
        // BEP 3: a bitfield of the wrong size, or with spare bits set, drops the connection.
        expectLength("bitfield", length, 1 + shape.bitfieldBytes());
        byte[] bits = new byte[shape.bitfieldBytes()];
        in.readFully(bits);
        int spare = bits.length * 8 - shape.pieceCount();
        if (spare > 0 && (bits[bits.length - 1] & ((1 << spare) - 1)) != 0) {
            throw new WireException("bitfield has spare bits set after piece " + (shape.pieceCount() - 1));
        }
        return new Message.Bitfield(bits);
    }

    private int[] readBlockRef(DataInput in, String what) throws IOException {
        int index = in.readInt();
        int begin = in.readInt();
        int length = in.readInt();
        checkBlock(what, index, begin, length);
        return new int[] {index, begin, length};
    }

    private Message readPiece(DataInput in, int length, IntFunction<byte[]> blocks) throws IOException {
        if (length < 10 || length > 9 + Message.MAX_BLOCK) {
            throw new WireException("piece frame length " + length + " is not 10.." + (9 + Message.MAX_BLOCK));
        }
        int index = in.readInt();
        int begin = in.readInt();
        int blockLength = length - 9;
        checkBlock("piece", index, begin, blockLength);
        byte[] block = blocks.apply(blockLength);
        if (block.length != blockLength) {
            throw new IllegalStateException("block buffer of " + block.length + " bytes for a " + blockLength + "-byte block");
        }
        in.readFully(block);
        return new Message.Piece(index, begin, block);
    }

    private static Message readExtended(DataInput in, int length) throws IOException {
        if (length < 2 || length > 2 + MAX_EXTENDED) {
            throw new WireException("extended frame length " + length + " is not 2.." + (2 + MAX_EXTENDED));
        }
        int extendedId = in.readUnsignedByte();
        byte[] payload = new byte[length - 2];
        in.readFully(payload);
        return new Message.Extended(extendedId, payload);
    }

    private static Message skipUnknown(DataInput in, int id, int length) throws IOException {
        if (length > MAX_UNKNOWN) {
            throw new WireException("unknown message id " + id + " with " + length + " bytes (limit " + MAX_UNKNOWN + ")");
        }
        int left = length - 1;
        while (left > 0) {
            int skipped = in.skipBytes(left);
            if (skipped <= 0) {
                in.readByte(); // skipBytes may stop early; readByte throws EOF at the true end
                skipped = 1;
            }
            left -= skipped;
        }
        return new Message.Unknown(id, length - 1);
    }

    private static void expectLength(String what, int actual, int expected) throws WireException {
        if (actual != expected) {
            throw new WireException(what + " frame length must be " + expected + ", got " + actual);
        }
    }

    private void checkIndex(String what, int index) throws WireException {
        if (index < 0 || index >= shape.pieceCount()) {
            throw new WireException(what + ": piece index " + index + " is not 0.." + (shape.pieceCount() - 1));
        }
    }

    private void checkBlock(String what, int index, int begin, int length) throws WireException {
        checkIndex(what, index);
        if (length <= 0 || length > Message.MAX_BLOCK) {
            throw new WireException(what + ": block length " + length + " is not 1.." + Message.MAX_BLOCK);
        }
        int size = shape.pieceSize(index);
        if (begin < 0 || (long) begin + length > size) {
            throw new WireException(what + ": block " + begin + "+" + length + " is outside piece " + index
                    + " of " + size + " bytes");
        }
    }

    public void write(DataOutput out, Message message) throws IOException {
        switch (message) {
            case Message.KeepAlive k -> out.writeInt(0);                       // <len=0000>
            case Message.Choke c -> header(out, 1, Message.CHOKE);             // <len=0001><id=0>
            case Message.Unchoke u -> header(out, 1, Message.UNCHOKE);         // <len=0001><id=1>
            case Message.Interested i -> header(out, 1, Message.INTERESTED);   // <len=0001><id=2>
            case Message.NotInterested n -> header(out, 1, Message.NOT_INTERESTED); // <len=0001><id=3>
            case Message.Have h -> index(out, Message.HAVE, h.index());           // <len=0005><id=4><index>
            case Message.Suggest s -> index(out, Message.SUGGEST, s.index());     // <len=0005><id=0x0D><index>
            case Message.HaveAll a -> header(out, 1, Message.HAVE_ALL);           // <len=0001><id=0x0E>
            case Message.HaveNone n -> header(out, 1, Message.HAVE_NONE);         // <len=0001><id=0x0F>
            case Message.Reject r -> blockRef(out, Message.REJECT, r.index(), r.begin(), r.length());
            case Message.AllowedFast f -> index(out, Message.ALLOWED_FAST, f.index()); // <len=0005><id=0x11><index>
            case Message.Bitfield b -> {                                       // <len=1+X><id=5><bits>
                byte[] bits = b.bits();
                header(out, 1 + bits.length, Message.BITFIELD);
                out.write(bits);
            }
            case Message.Request r -> blockRef(out, Message.REQUEST, r.index(), r.begin(), r.length());
            case Message.Cancel c -> blockRef(out, Message.CANCEL, c.index(), c.begin(), c.length());
            case Message.Piece p -> writePiece(out, p.index(), p.begin(), p.block(), 0, p.block().length);
            case Message.Extended e -> {                                       // <len=2+X><id=20><ext id><payload>
                byte[] payload = e.payload();
                header(out, 2 + payload.length, Message.EXTENDED);
                out.writeByte(e.extendedId());
                out.write(payload);
            }
            case Message.Unknown u -> throw new IllegalArgumentException("cannot send an unknown message " + u);
        }
    }

    /** <len=9+X><id=7><index><begin><block>, straight from a buffer (the upload path). */
    public static void writePiece(DataOutput out, int index, int begin, byte[] buffer, int offset, int length)
            throws IOException {
        header(out, 9 + length, Message.PIECE);
        out.writeInt(index);
        out.writeInt(begin);
        out.write(buffer, offset, length);
    }

    /** A request without a {@link Message.Request} object: the engine sends one per block. */
    public static void writeRequest(DataOutput out, int index, int begin, int length) throws IOException {
        blockRef(out, Message.REQUEST, index, begin, length);
    }

    private static void blockRef(DataOutput out, byte id, int index, int begin, int length) throws IOException {
        header(out, 13, id);                                                   // <len=0013><id><index><begin><length>
        out.writeInt(index);
        out.writeInt(begin);
        out.writeInt(length);
    }

    private static void index(DataOutput out, byte id, int index) throws IOException {
        header(out, 5, id);
        out.writeInt(index);
    }

    private static void header(DataOutput out, int length, byte id) throws IOException {
        out.writeInt(length);
        out.writeByte(id);
    }
}
