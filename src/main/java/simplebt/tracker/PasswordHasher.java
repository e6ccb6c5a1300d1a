package simplebt.tracker;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 with a random 16-byte salt per user. The iteration count is stored with
 * each hash so it can be raised later without breaking old accounts.
 */
final class PasswordHasher {
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    static final int DEFAULT_ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private final int iterations;
    private final SecureRandom random;

    PasswordHasher(int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        this.iterations = iterations;
        this.random = random;
    }

    int iterations() {
        return iterations;
    }

    /** A fresh salt and hash, both base64. */
    String[] hashNew(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return new String[] {b64.encodeToString(salt), b64.encodeToString(derive(password, salt, iterations))};
    }

    /** Constant-time comparison, so the time taken says nothing about how close a guess was. */
    static boolean verify(String password, String salt, String hash, int iterations) {
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(hash);
        return MessageDigest.isEqual(derive(password, b64.decode(salt), iterations), expected);
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
