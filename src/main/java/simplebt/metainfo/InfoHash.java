package simplebt.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** The 20-byte SHA-1 of a torrent's bencoded {@code info} dictionary (BEP 3). */
public record InfoHash(byte[] bytes) {
    public static final int LENGTH = 20;

    public InfoHash {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("info hash must be 20 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    public static InfoHash of(byte[] rawInfo) {
        return new InfoHash(sha1().digest(rawInfo));
    }

    /** Parses 40 hex digits; throws IllegalArgumentException with a readable message otherwise. */
    public static InfoHash fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an info hash is 40 hex digits");
        }
        try {
            return new InfoHash(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an info hash is 40 hex digits");
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
