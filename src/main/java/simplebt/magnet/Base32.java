package simplebt.magnet;

/** RFC 4648 base32 (A-Z, 2-7; lower case accepted) for 32-character info hashes: exactly 20 bytes. */
final class Base32 {
    private Base32() {
    }

    static byte[] decode(String text) throws MagnetException {
        if (text.length() != 32) {
            throw new MagnetException("base32 info hash must be 32 characters, got " + text.length());
        }
        byte[] out = new byte[20];
        long buffer = 0;
        int bits = 0;
        int at = 0;
        for (int i = 0; i < 32; i++) {
            int v = value(text.charAt(i));
            if (v < 0) {
                throw new MagnetException("magnet link info hash (xt) is not base32 at character " + (i + 1));
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[at++] = (byte) (buffer >>> bits);
            }
        }
        return out; // 32 x 5 bits = 160 bits: exactly 20 bytes, nothing left over
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }
}
