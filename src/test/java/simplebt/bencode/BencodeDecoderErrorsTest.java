package simplebt.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static simplebt.bencode.BencodeDecoderTest.bytes;

import org.junit.jupiter.api.Test;

import simplebt.bencode.BencodeException.Kind;

/**
 * Malformed input, one test per rule: each asserts the exact error kind and the byte offset
 * it names. Offsets are string indexes (the helper maps one char to one byte).
 */
class BencodeDecoderErrorsTest {
    private static void assertError(String input, Kind kind, long offset) {
        assertError(bytes(input), kind, offset);
    }

    private static void assertError(byte[] input, Kind kind, long offset) {
        BencodeException e = catchThrowableOfType(BencodeException.class, () -> BencodeDecoder.decode(input));
        assertThat(e).as("decoding should fail").isNotNull();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.offset()).isEqualTo(offset);
        assertThat(e.getMessage()).endsWith("at byte " + offset);
    }

    // --- end of input ---

    @Test
    void emptyInput() {
        assertError("", Kind.UNEXPECTED_EOF, 0);
    }

    @Test
    void integerWithoutEnd() {
        assertError("i12", Kind.UNEXPECTED_EOF, 3); // i 1 2 | EOF at 3
    }

    @Test
    void loneI() {
        assertError("i", Kind.UNEXPECTED_EOF, 1);
    }

    @Test
    void stringLengthWithoutColon() {
        assertError("3", Kind.UNEXPECTED_EOF, 1);
    }

    @Test
    void listWithoutEnd() {
        assertError("li1e", Kind.UNEXPECTED_EOF, 4); // l i1e | EOF at 4
    }

    @Test
    void dictWithoutEnd() {
        assertError("d1:ai1e", Kind.UNEXPECTED_EOF, 7);
    }

    @Test
    void keyWithoutValueAtEof() {
        assertError("d1:a", Kind.UNEXPECTED_EOF, 4);
    }

    // --- integers ---

    @Test
    void emptyInteger() {
        assertError("ie", Kind.BAD_INTEGER, 1); // i | e where a digit belongs
    }

    @Test
    void minusWithoutDigits() {
        assertError("i-e", Kind.BAD_INTEGER, 2);
    }

    @Test
    void leadingZero() {
        assertError("i03e", Kind.LEADING_ZERO, 1); // i | 0 3 e
    }

    @Test
    void doubleZero() {
        assertError("i00e", Kind.LEADING_ZERO, 1);
    }

    @Test
    void negativeLeadingZero() {
        assertError("i-03e", Kind.LEADING_ZERO, 2); // i - | 0 3 e
    }

    @Test
    void negativeZero() {
        assertError("i-0e", Kind.NEGATIVE_ZERO, 0); // offset of the value's 'i'
    }

    @Test
    void plusSign() {
        assertError("i+1e", Kind.BAD_INTEGER, 1);
    }

    @Test
    void doubleMinus() {
        assertError("i--1e", Kind.BAD_INTEGER, 2);
    }

    @Test
    void decimalPoint() {
        assertError("i1.5e", Kind.BAD_INTEGER, 2);
    }

    @Test
    void spaceInInteger() {
        assertError("i 1e", Kind.BAD_INTEGER, 1);
    }

    @Test
    void nonAsciiByteInInteger() {
        assertError(new byte[] {'i', '1', (byte) 0xb9, 'e'}, Kind.BAD_INTEGER, 2);
    }

    @Test
    void overflowJustAboveLongMax() {
        assertError("i9223372036854775808e", Kind.OVERFLOW, 0); // Long.MAX_VALUE + 1
    }

    @Test
    void overflowJustBelowLongMin() {
        assertError("i-9223372036854775809e", Kind.OVERFLOW, 0); // Long.MIN_VALUE - 1
    }

    @Test
    void overflowManyDigits() {
        assertError("i123456789012345678901234567890e", Kind.OVERFLOW, 0);
    }

    @Test
    void overflowManyDigitsNegative() {
        assertError("i-123456789012345678901234567890e", Kind.OVERFLOW, 0);
    }

    @Test
    void overflowOffsetIsTheValueNotTheInput() {
        assertError("li1ei99999999999999999999ee", Kind.OVERFLOW, 4); // l i1e | i999... at 4
    }

    // --- byte strings ---

    @Test
    void lengthWithLeadingZero() {
        assertError("01:a", Kind.LEADING_ZERO, 0);
    }

    @Test
    void zeroLengthWrittenAsDoubleZero() {
        assertError("00:", Kind.LEADING_ZERO, 0);
    }

    @Test
    void negativeLength() {
        assertError("-1:a", Kind.EXPECTED_VALUE, 0); // '-' cannot start any value
    }

    @Test
    void lengthPastTheEnd() {
        assertError("5:abc", Kind.LENGTH_LIMIT, 0); // declares 5, only 3 follow
    }

    @Test
    void hugeDeclaredLengthIsRejectedWithoutAllocating() {
        assertError("9999999999:", Kind.LENGTH_LIMIT, 0); // ~10 GB declared, 0 bytes present
    }

    @Test
    void lengthOfLongMaxIsRejectedWithoutAllocating() {
        assertError("9223372036854775807:abc", Kind.LENGTH_LIMIT, 0);
    }

    @Test
    void lengthBeyond64Bits() {
        assertError("99999999999999999999:", Kind.OVERFLOW, 0);
    }

    @Test
    void lengthOverTheCallersLimit() {
        BencodeException e = catchThrowableOfType(BencodeException.class,
                () -> BencodeDecoder.decode(bytes("4:abcd"), 10, 3));
        assertThat(e.kind()).isEqualTo(Kind.LENGTH_LIMIT);
        assertThat(e.offset()).isZero();
    }

    @Test
    void missingColon() {
        assertError("3abc", Kind.EXPECTED_COLON, 1); // 3 | a where ':' belongs
    }

    @Test
    void colonWithoutLength() {
        assertError(":abc", Kind.EXPECTED_VALUE, 0);
    }

    // --- structure ---

    @Test
    void unknownTypeByte() {
        assertError("x", Kind.EXPECTED_VALUE, 0);
    }

    @Test
    void loneEnd() {
        assertError("e", Kind.EXPECTED_VALUE, 0);
    }

    @Test
    void keyWithoutValue() {
        assertError("d1:ae", Kind.EXPECTED_VALUE, 4); // d 1:a | e where the value belongs
    }

    @Test
    void integerKey() {
        assertError("di1ei2ee", Kind.KEY_NOT_STRING, 1);
    }

    @Test
    void listKey() {
        assertError("dlei1ee", Kind.KEY_NOT_STRING, 1);
    }

    @Test
    void unsortedKeys() {
        assertError("d1:bi1e1:ai2ee", Kind.UNSORTED_KEYS, 7); // d 1:b i1e | 1:a at 7
    }

    @Test
    void longerKeyBeforeItsPrefix() {
        assertError("d2:aai1e1:ai2ee", Kind.UNSORTED_KEYS, 8); // "aa" then "a"
    }

    @Test
    void keysCompareUnsigned() {
        // 0xe9 is negative as a Java byte but sorts after 'a'; putting it first is an error.
        assertError(new byte[] {'d', '1', ':', (byte) 0xe9, 'i', '1', 'e', '1', ':', 'a', 'i', '2', 'e', 'e'},
                Kind.UNSORTED_KEYS, 7);
    }

    @Test
    void duplicateKey() {
        assertError("d1:ai1e1:ai2ee", Kind.DUPLICATE_KEY, 7);
    }

    @Test
    void duplicateKeyInNestedDict() {
        assertError("ld1:a0:1:a0:ee", Kind.DUPLICATE_KEY, 7); // l d 1:a 0: | 1:a at 7
    }

    @Test
    void trailingData() {
        assertError("i1ei2e", Kind.TRAILING_DATA, 3);
    }

    @Test
    void trailingEnd() {
        assertError("lee", Kind.TRAILING_DATA, 2);
    }

    @Test
    void trailingNewline() {
        assertError("de\n", Kind.TRAILING_DATA, 2);
    }

    // --- limits ---

    @Test
    void oneLevelPastTheDepthLimit() {
        int depth = BencodeDecoder.DEFAULT_MAX_DEPTH + 1;
        assertError("l".repeat(depth) + "e".repeat(depth), Kind.DEPTH_EXCEEDED, BencodeDecoder.DEFAULT_MAX_DEPTH);
    }

    @Test
    void hundredThousandNestedListsGiveDepthExceededNotStackOverflow() {
        assertError("l".repeat(100_000), Kind.DEPTH_EXCEEDED, BencodeDecoder.DEFAULT_MAX_DEPTH);
    }

    @Test
    void hundredThousandNestedDictsGiveDepthExceeded() {
        // d 1:a d 1:a d ... each level is 4 bytes
        assertError("d1:a".repeat(100_000), Kind.DEPTH_EXCEEDED, 4L * BencodeDecoder.DEFAULT_MAX_DEPTH);
    }

    @Test
    void customDepthLimit() {
        BencodeException e = catchThrowableOfType(BencodeException.class,
                () -> BencodeDecoder.decode(bytes("llleee"), 2, 100));
        assertThat(e.kind()).isEqualTo(Kind.DEPTH_EXCEEDED);
        assertThat(e.offset()).isEqualTo(2);
    }

    @Test
    void decodePrefixReportsEofAtItsStart() {
        BencodeException e = catchThrowableOfType(BencodeException.class,
                () -> BencodeDecoder.decodePrefix(bytes("i1e"), 3));
        assertThat(e.kind()).isEqualTo(Kind.UNEXPECTED_EOF);
        assertThat(e.offset()).isEqualTo(3);
    }
}
