package simplebt.bencode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import simplebt.bencode.BencodeException.Kind;

/**
 * Strict bencode decoder (BEP 3). Rejects everything a canonical encoder would not produce
 * except nothing: leading zeros, {@code -0}, unsorted or duplicate keys and trailing bytes are
 * errors. Lengths are checked against the remaining input and a limit before anything is
 * allocated, and nesting is bounded, so hostile input costs at most its own size.
 */
public final class BencodeDecoder {
    public static final int DEFAULT_MAX_DEPTH = 100;

    private final byte[] in;
    private final int end;
    private final int maxDepth;
    private final int maxStringLength;
    private int pos;

    private BencodeDecoder(byte[] in, int start, int end, int maxDepth, int maxStringLength) {
        this.in = in;
        this.pos = start;
        this.end = end;
        this.maxDepth = maxDepth;
        this.maxStringLength = maxStringLength;
    }

    /** Decodes exactly one value that fills the whole input. */
    public static BValue decode(byte[] input) throws BencodeException {
        return decode(input, DEFAULT_MAX_DEPTH, Integer.MAX_VALUE);
    }

    public static BValue decode(byte[] input, int maxDepth, int maxStringLength) throws BencodeException {
        BencodeDecoder d = new BencodeDecoder(input, 0, input.length, maxDepth, maxStringLength);
        BValue value = d.value(0);
        if (d.pos != d.end) {
            throw new BencodeException(Kind.TRAILING_DATA, d.pos);
        }
        return value;
    }

    public static BValue decode(ByteBuffer buffer) throws BencodeException {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return decode(copy);
    }

    /**
     * Decodes one value at the start of the input and returns it with the offset just past it.
     * For formats where bencode is followed by other data (BEP 9 metadata messages).
     */
    public static Prefix decodePrefix(byte[] input, int start) throws BencodeException {
        BencodeDecoder d = new BencodeDecoder(input, start, input.length, DEFAULT_MAX_DEPTH, Integer.MAX_VALUE);
        BValue value = d.value(0);
        return new Prefix(value, d.pos);
    }

    public record Prefix(BValue value, int end) {
    }

    /**
     * The exact bytes of the value stored under {@code key} in the top-level dictionary, as
     * they appear in the input. The info hash is the SHA-1 of these bytes for key "info",
     * which stays right even for a non-canonical file that re-encoding would change.
     */
    public static byte[] rawValue(byte[] input, String key) throws BencodeException {
        BencodeDecoder d = new BencodeDecoder(input, 0, input.length, DEFAULT_MAX_DEPTH, Integer.MAX_VALUE);
        BString wanted = BString.of(key);
        d.expect('d');
        while (d.peek() != 'e') {
            BString k = d.string();
            int start = d.pos;
            d.value(1);
            if (k.equals(wanted)) {
                return Arrays.copyOfRange(input, start, d.pos);
            }
        }
        throw new BencodeException(Kind.MISSING_KEY, d.pos);
    }

    private BValue value(int depth) throws BencodeException {
        if (depth >= maxDepth) {
            throw new BencodeException(Kind.DEPTH_EXCEEDED, pos);
        }
        int c = peek();
        if (c == 'i') {
            return new BInt(integer());
        } else if (c == 'l') {
            return list(depth);
        } else if (c == 'd') {
            return dict(depth);
        } else if (c >= '0' && c <= '9') {
            return string();
        }
        throw new BencodeException(Kind.EXPECTED_VALUE, pos);
    }

    private int peek() throws BencodeException {
        if (pos >= end) {
            throw new BencodeException(Kind.UNEXPECTED_EOF, pos);
        }
        return in[pos] & 0xff;
    }

    private void expect(char c) throws BencodeException {
        if (peek() != c) {
            throw new BencodeException(c == ':' ? Kind.EXPECTED_COLON : Kind.EXPECTED_VALUE, pos);
        }
        pos++;
    }

    private long integer() throws BencodeException {
        int start = pos;
        expect('i');
        long value = digits(start, 'e', true);
        pos++; // the 'e'
        return value;
    }

    /** Parses a decimal up to {@code terminator} (not consumed), enforcing canonical form. */
    private long digits(int valueStart, char terminator, boolean allowNegative) throws BencodeException {
        boolean negative = false;
        if (allowNegative && peek() == '-') {
            negative = true;
            pos++;
        }
        int first = pos;
        long value = 0;
        while (peek() != terminator) {
            int c = in[pos];
            if (c < '0' || c > '9') {
                // A string length ends at ':'; anything else there means the colon is missing.
                throw new BencodeException(terminator == ':' ? Kind.EXPECTED_COLON : Kind.BAD_INTEGER, pos);
            }
            int digit = c - '0';
            // Accumulate negatively so Long.MIN_VALUE fits.
            if (value < (Long.MIN_VALUE + digit) / 10) {
                throw new BencodeException(Kind.OVERFLOW, valueStart);
            }
            value = value * 10 - digit;
            pos++;
        }
        int count = pos - first;
        if (count == 0) {
            throw new BencodeException(Kind.BAD_INTEGER, pos);
        }
        if (in[first] == '0' && count > 1) {
            throw new BencodeException(Kind.LEADING_ZERO, first);
        }
        if (negative && value == 0) {
            throw new BencodeException(Kind.NEGATIVE_ZERO, valueStart);
        }
        if (!negative && value == Long.MIN_VALUE) {
            throw new BencodeException(Kind.OVERFLOW, valueStart);
        }
        return negative ? value : -value;
    }

    private BString string() throws BencodeException {
        int start = pos;
        long length = digits(start, ':', false);
        pos++; // the ':'
        if (length > end - pos || length > maxStringLength) {
            throw new BencodeException(Kind.LENGTH_LIMIT, start);
        }
        byte[] bytes = Arrays.copyOfRange(in, pos, pos + (int) length);
        pos += (int) length;
        return new BString(bytes);
    }

    private BList list(int depth) throws BencodeException {
        pos++; // 'l'
        List<BValue> values = new ArrayList<>();
        while (peek() != 'e') {
            values.add(value(depth + 1));
        }
        pos++;
        return new BList(values);
    }

    private BDict dict(int depth) throws BencodeException {
        pos++; // 'd'
        TreeMap<BString, BValue> entries = new TreeMap<>();
        BString previous = null;
        while (peek() != 'e') {
            int keyAt = pos;
            int c = peek();
            if (c < '0' || c > '9') {
                throw new BencodeException(Kind.KEY_NOT_STRING, keyAt);
            }
            BString key = string();
            if (previous != null) {
                int order = previous.compareTo(key);
                if (order == 0) {
                    throw new BencodeException(Kind.DUPLICATE_KEY, keyAt);
                }
                if (order > 0) {
                    throw new BencodeException(Kind.UNSORTED_KEYS, keyAt);
                }
            }
            entries.put(key, value(depth + 1));
            previous = key;
        }
        pos++;
        return new BDict(entries);
    }
}
