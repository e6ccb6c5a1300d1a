package simplebt.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A bencoded byte string. Bencode strings are bytes, not text: piece hashes and compact
 * peer lists are binary, so the bytes are kept as they came and decoded to text only on request.
 */
public record BString(byte[] bytes) implements BValue, Comparable<BString> {
    public BString {
        bytes = bytes.clone();
    }

    public static BString of(String text) {
        return new BString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static BString of(byte[] bytes) {
        return new BString(bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Dictionary keys sort as raw bytes, unsigned (BEP 3). */
    @Override
    public int compareTo(BString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BString s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return "BString[hex:" + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64)) + "]";
            }
        }
        return "BString[" + text() + "]";
    }
}
