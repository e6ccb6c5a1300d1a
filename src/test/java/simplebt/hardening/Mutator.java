package simplebt.hardening;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Seeded input mutation shared by the fuzz tests: bit flips, truncation, inserts and deletes of
 * bytes from a format's alphabet, digit changes (length prefixes, integers) and duplicated
 * slices. Gentle enough that some mutants stay valid, so both the accept and reject paths run.
 */
public final class Mutator {
    /** Long mode (-Dsimplebt.fuzz.long=true): at least this many cases per fuzz target. */
    public static final int LONG_ROUNDS = 1_000_000;

    private final byte[] alphabet;

    public Mutator(byte[] alphabet) {
        this.alphabet = alphabet.clone();
    }

    /** {@code shortRounds} in `make test`; {@link #LONG_ROUNDS} (or more) in long mode. */
    public static int rounds(int shortRounds) {
        return Boolean.getBoolean("simplebt.fuzz.long") ? Math.max(LONG_ROUNDS, shortRounds) : shortRounds;
    }

    public byte[] randomBytes(SplittableRandom random, int maxLength) {
        byte[] b = new byte[random.nextInt(maxLength)];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
        }
        return b;
    }

    public byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(8)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8)); // bit flip
                case 1 -> b = Arrays.copyOf(b, at); // truncation
                case 2 -> b = insert(b, at, alphabet[random.nextInt(alphabet.length)]);
                case 3 -> b = delete(b, at);
                case 4 -> { // change a digit, e.g. a length prefix or an integer
                    int d = indexOfDigit(b, at);
                    if (d >= 0) {
                        b[d] = (byte) ('0' + random.nextInt(10));
                    }
                }
                case 5 -> b[at] = alphabet[random.nextInt(alphabet.length)];
                case 6 -> b[at] = (byte) random.nextInt(256); // any byte, for binary formats
                default -> { // duplicate a slice in place
                    int len = Math.min(b.length - at, 1 + random.nextInt(12));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
            }
        }
        return b;
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b, 0, Math.min(b.length, 200)) + (b.length > 200 ? "..." : "");
    }

    private static int indexOfDigit(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] >= '0' && b[i] <= '9') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] insert(byte[] b, int at, byte value) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }
}
