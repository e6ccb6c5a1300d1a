package simplebt.bencode;

/** Malformed bencode: says what was wrong ({@link Kind}) and at which byte offset. */
public final class BencodeException extends Exception {
    /** The ways input can be malformed; names follow libtorrent's bdecode errors. */
    public enum Kind {
        UNEXPECTED_EOF("unexpected end of input"),
        EXPECTED_VALUE("expected i, l, d or a digit"),
        EXPECTED_COLON("expected ':' after string length"),
        BAD_INTEGER("malformed integer"),
        LEADING_ZERO("integer has a leading zero"),
        NEGATIVE_ZERO("integer is -0"),
        OVERFLOW("integer out of 64-bit range"),
        LENGTH_LIMIT("string length exceeds the input or the limit"),
        DEPTH_EXCEEDED("nesting too deep"),
        VALUE_LIMIT("more values than the decoder's limit (each costs ~60 bytes of memory)"),
        KEY_NOT_STRING("dictionary key is not a byte string"),
        UNSORTED_KEYS("dictionary keys are not in sorted order"),
        DUPLICATE_KEY("duplicate dictionary key"),
        TRAILING_DATA("data after the end of the value"),
        MISSING_KEY("key not found");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    private final Kind kind;
    private final long offset;

    public BencodeException(Kind kind, long offset) {
        super(kind.text + " at byte " + offset);
        this.kind = kind;
        this.offset = offset;
    }

    public Kind kind() {
        return kind;
    }

    public long offset() {
        return offset;
    }
}
