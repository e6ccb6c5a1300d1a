package simplebt.mse;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;

import simplebt.mse.MseException.Kind;

/**
 * One side's Diffie-Hellman key for the MSE handshake: the spec's 768-bit safe prime P, G = 2, a
 * fresh 160-bit private exponent (the spec's advice: at least 128, more than 180 adds nothing), and
 * the public value Y = G^X mod P sent as exactly 96 big-endian bytes. {@link BigInteger#modPow}
 * takes about 35 microseconds for one such exponentiation on the build VM, two per handshake, so
 * there is nothing to gain from a hand-written one.
 */
final class DhKey {
    static final int LENGTH = 96;
    static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C"
            + "42E9A63A36210000000000090563", 16);
    private static final BigInteger G = BigInteger.TWO;
    private static final int PRIVATE_BITS = 160;

    private final BigInteger x;
    private final byte[] publicKey;

    private DhKey(BigInteger x) {
        this.x = x;
        this.publicKey = fixed(G.modPow(x, P));
    }

    static DhKey generate(Random random) {
        BigInteger x;
        do {
            x = new BigInteger(PRIVATE_BITS, random);
        } while (x.bitLength() < PRIVATE_BITS - 32); // a short exponent would be a weak key; practically never loops
        return new DhKey(x);
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * S = Y^X mod P, 96 bytes. A Y of 0, 1 or P-1 (or anything not below P) is refused: those force
     * S to a value anyone can guess, and no honest peer sends them.
     */
    byte[] secret(byte[] theirPublic) throws MseException {
        BigInteger y = new BigInteger(1, theirPublic);
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw new MseException(Kind.BAD_KEY, "the peer's Diffie-Hellman key is out of range (0, 1, P-1 or not below P)");
        }
        return fixed(y.modPow(x, P));
    }

    /** A non-negative number below P as exactly 96 big-endian bytes (leading zeros kept). */
    private static byte[] fixed(BigInteger n) {
        byte[] raw = n.toByteArray();
        if (raw.length == LENGTH) {
            return raw;
        }
        if (raw.length > LENGTH) { // a leading sign byte
            return Arrays.copyOfRange(raw, raw.length - LENGTH, raw.length);
        }
        byte[] out = new byte[LENGTH];
        System.arraycopy(raw, 0, out, LENGTH - raw.length, raw.length);
        return out;
    }
}
