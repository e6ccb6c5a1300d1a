package simplebt.secure;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869), written out because the JDK 21 API has no HKDF. */
final class Hkdf {
    static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    /** RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an empty salt means HashLen zero bytes. */
    static byte[] extract(byte[] salt, byte[] ikm) {
        byte[] key = salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        return hmac(key, ikm);
    }

    /** RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = first L bytes of T(1) | T(2) | ... */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF output length must be 0.." + 255 * HASH_LENGTH + ", got " + length);
        }
        Mac mac = mac(prk);
        byte[] okm = new byte[length];
        byte[] t = new byte[0];
        for (int i = 1, done = 0; done < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            t = mac.doFinal();
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, okm, done, n);
            done += n;
        }
        return okm;
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        Mac mac = mac(key);
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
