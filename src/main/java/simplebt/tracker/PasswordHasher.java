package simplebt.tracker;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 with a random 16-byte salt per user. The iteration count is stored with
 * each hash so it can be raised later without breaking old accounts. All hashing passes one
 * {@link HashingGate}, which bounds how many cores it may take.
 */
final class PasswordHasher {
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    static final int DEFAULT_ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private final int iterations;
    private final SecureRandom random;
    private final HashingGate gate;

    PasswordHasher(int iterations, SecureRandom random) {
        this(iterations, random, HashingGate.forThisMachine());
    }

    PasswordHasher(int iterations, SecureRandom random, HashingGate gate) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        this.iterations = iterations;
        this.random = random;
        this.gate = gate;
    }

    int iterations() {
        return iterations;
    }

    /** A fresh salt and hash, both base64; waits for the {@link HashingGate} (503 when busy). */
    String[] hashNew(String password) throws ApiException {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        byte[] hash = gate.run(false, () -> derive(password, salt, iterations));
        return new String[] {b64.encodeToString(salt), b64.encodeToString(hash)};
    }

    /**
     * Whether {@code password} matches, through the {@link HashingGate} ({@code suspect}: in its
     * low-priority lane). Constant-time comparison, so the time taken says nothing about how
     * close a guess was.
     */
    boolean verify(String password, String salt, String hash, int iterations, boolean suspect) throws ApiException {
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(hash);
        byte[] saltBytes = b64.decode(salt);
        return MessageDigest.isEqual(gate.run(suspect, () -> derive(password, saltBytes, iterations)), expected);
    }

    static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
