package simplebt.wire;

import java.util.Arrays;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeEncoder;
import simplebt.bencode.BencodeException;

/**
 * BEP 9 {@code ut_metadata} messages, the payload of an extended message: a bencoded dictionary
 * ({@code msg_type} 0 request, 1 data, 2 reject; {@code piece}) and, for data, {@code total_size}
 * followed by the piece's raw bytes. Decoding is strict: unknown types, negative or huge numbers,
 * a data piece over 16 KiB or bytes after a request are refused with {@link WireException}.
 */
public sealed interface MetadataMessage {
    /** BEP 9: the info dictionary travels in 16 KiB pieces; only the last may be shorter. */
    int PIECE_SIZE = 16 * 1024;
    /** Info dictionaries of real torrents are under a few MiB (a 1 TiB torrent of 256 KiB pieces: 80 MiB of hashes is absurd); refused above this. */
    int MAX_METADATA_SIZE = 16 * 1024 * 1024;
    int MAX_PIECES = MAX_METADATA_SIZE / PIECE_SIZE;

    int piece();

    byte[] encode();

    record Request(int piece) implements MetadataMessage {
        public Request {
            checkPiece(piece);
        }

        @Override
        public byte[] encode() {
            return BencodeEncoder.encode(BDict.builder().put("msg_type", 0).put("piece", piece).build());
        }
    }

    record Data(int piece, int totalSize, byte[] bytes) implements MetadataMessage {
        public Data {
            checkPiece(piece);
            if (totalSize < 1 || totalSize > MAX_METADATA_SIZE) {
                throw new IllegalArgumentException("metadata size " + totalSize + " outside 1.." + MAX_METADATA_SIZE);
            }
            if (bytes.length > PIECE_SIZE) {
                throw new IllegalArgumentException("metadata piece of " + bytes.length + " bytes is over 16 KiB");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public byte[] encode() {
            byte[] head = BencodeEncoder.encode(BDict.builder().put("msg_type", 1).put("piece", piece)
                    .put("total_size", totalSize).build());
            byte[] out = Arrays.copyOf(head, head.length + bytes.length);
            System.arraycopy(bytes, 0, out, head.length, bytes.length);
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.piece == piece && d.totalSize == totalSize && Arrays.equals(d.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * piece + totalSize) + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Data[piece=" + piece + ", totalSize=" + totalSize + ", " + bytes.length + " bytes]";
        }
    }

    record Reject(int piece) implements MetadataMessage {
        public Reject {
            checkPiece(piece);
        }

        @Override
        public byte[] encode() {
            return BencodeEncoder.encode(BDict.builder().put("msg_type", 2).put("piece", piece).build());
        }
    }

    private static void checkPiece(int piece) {
        if (piece < 0 || piece >= MAX_PIECES) {
            throw new IllegalArgumentException("metadata piece " + piece + " outside 0.." + (MAX_PIECES - 1));
        }
    }

    static MetadataMessage decode(byte[] payload) throws WireException {
        BencodeDecoder.Prefix prefix;
        try {
            prefix = BencodeDecoder.decodePrefix(payload, 0);
        } catch (BencodeException e) {
            throw new WireException("ut_metadata message is not valid bencode: " + e.getMessage());
        }
        if (!(prefix.value() instanceof BDict dict)) {
            throw new WireException("ut_metadata message must start with a dictionary");
        }
        int type = number(dict, "msg_type", 2);
        int piece = number(dict, "piece", MAX_PIECES - 1);
        int rest = payload.length - prefix.end();
        if (type == 1) {
            int totalSize = number(dict, "total_size", MAX_METADATA_SIZE);
            if (totalSize < 1 || rest > PIECE_SIZE) {
                throw new WireException("ut_metadata data: total_size " + totalSize + ", piece of " + rest + " bytes");
            }
            return new Data(piece, totalSize, Arrays.copyOfRange(payload, prefix.end(), payload.length));
        }
        if (rest != 0) {
            throw new WireException("ut_metadata " + (type == 0 ? "request" : "reject") + " followed by " + rest + " bytes");
        }
        return type == 0 ? new Request(piece) : new Reject(piece);
    }

    private static int number(BDict dict, String key, int max) throws WireException {
        BValue v = dict.get(key).orElseThrow(() -> new WireException("ut_metadata message without " + key));
        if (!(v instanceof BInt i) || i.value() < 0 || i.value() > max) {
            throw new WireException("ut_metadata " + key + " must be a number 0.." + max);
        }
        return (int) i.value();
    }
}
