package simplebt.bencode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import simplebt.bencode.BencodeException.Kind;

/**
 * Bencode decoder (BEP 3), strict by default: leading zeros, {@code -0}, unsorted or duplicate
 * keys and trailing bytes are errors, so our own data (.torrent files, resume files) decodes
 * only in canonical form. {@link Options#LENIENT} is for other programs' input (tracker
 * replies, BEP 10 handshakes): it also takes keys in any order, keeps the first of duplicate
 * keys and ignores whitespace after the value, since common trackers send those.
 *
 * <p>What decoding may allocate is bounded: string lengths are checked against the remaining
 * input and a limit before anything is copied, nesting is bounded, and so is the number of
 * values. The last is needed because a value is far heavier in memory than on the wire: a
 * 2-byte {@code 0:} becomes ~60 bytes of objects, so 10 MiB of {@code l0:0:...e} used to
 * allocate 368 MB; with {@link #DEFAULT_MAX_VALUES} it stops after 65 MB
 * ({@code BencodeAllocationTest}).
 */
public final class BencodeDecoder {
    public static final int DEFAULT_MAX_DEPTH = 100;
    /**
     * About 60 MB of objects at worst. A .torrent with 100,000 files has ~700,000 values
     * (a file entry is a dict, two keys, an integer, a path list and its parts).
     */
    public static final int DEFAULT_MAX_VALUES = 1 << 20;

    /**
     * How to decode.
     *
     * @param maxValues how many values (strings, integers, lists, dicts) the input may hold
     * @param lenient   accept unsorted and duplicate keys (the first wins) and trailing whitespace
     */
    public record Options(int maxDepth, int maxStringLength, int maxValues, boolean lenient) {
        public static final Options STRICT = new Options(DEFAULT_MAX_DEPTH, Integer.MAX_VALUE, DEFAULT_MAX_VALUES, false);
        /** For other programs' input, where BEP 3's canonical form is often not kept. */
        public static final Options LENIENT = STRICT.asLenient();

        public Options asLenient() {
            return new Options(maxDepth, maxStringLength, maxValues, true);
        }

        public Options withMaxValues(int value) {
            return new Options(maxDepth, maxStringLength, value, lenient);
        }
    }

    private final byte[] in;
    private final int end;
    private final Options options;
    private int pos;
    private int values;

    private BencodeDecoder(byte[] in, int start, int end, Options options) {
        this.in = in;
        this.pos = start;
        this.end = end;
        this.options = options;
    }

    /** Decodes exactly one value that fills the whole input (strict). */
    public static BValue decode(byte[] input) throws BencodeException {
        return decode(input, Options.STRICT);
    }

    public static BValue decode(byte[] input, int maxDepth, int maxStringLength) throws BencodeException {
        return decode(input, new Options(maxDepth, maxStringLength, DEFAULT_MAX_VALUES, false));
    }

    /** Decodes one value that fills the input; lenient options allow trailing whitespace. */
    public static BValue decode(byte[] input, Options options) throws BencodeException {
        BencodeDecoder d = new BencodeDecoder(input, 0, input.length, options);
        BValue value = d.value(0);
        if (options.lenient()) {
            d.skipWhitespace();
        }
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
        BencodeDecoder d = new BencodeDecoder(input, start, input.length, Options.STRICT);
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
        BencodeDecoder d = new BencodeDecoder(input, 0, input.length, Options.STRICT);
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
        if (depth >= options.maxDepth()) {
            throw new BencodeException(Kind.DEPTH_EXCEEDED, pos);
        }
        // counted before the value is built, so the limit bounds what is allocated
        if (++values > options.maxValues()) {
            throw new BencodeException(Kind.VALUE_LIMIT, pos);
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

    /** Lenient mode: trackers often end their reply with a newline (HTTP habit). */
    private void skipWhitespace() {
        while (pos < end && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t')) {
            pos++;
        }
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
        if (length > end - pos || length > options.maxStringLength()) {
            throw new BencodeException(Kind.LENGTH_LIMIT, start);
        }
        byte[] bytes = Arrays.copyOfRange(in, pos, pos + (int) length);
        pos += (int) length;
        return new BString(bytes);
    }

    private BList list(int depth) throws BencodeException {
        pos++; // 'l'
        List<BValue> items = new ArrayList<>();
        while (peek() != 'e') {
            items.add(value(depth + 1));
        }
        pos++;
        return new BList(items);
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
            if (++values > options.maxValues()) {
                throw new BencodeException(Kind.VALUE_LIMIT, keyAt);
            }
            BString key = string();
            if (previous != null && !options.lenient()) {
                int order = previous.compareTo(key);
                if (order == 0) {
                    throw new BencodeException(Kind.DUPLICATE_KEY, keyAt);
                }
                if (order > 0) {
                    throw new BencodeException(Kind.UNSORTED_KEYS, keyAt);
                }
            }
            entries.putIfAbsent(key, value(depth + 1)); // lenient: the first of duplicate keys wins
            previous = key;
        }
        pos++;
        return new BDict(entries);
    }
}
