package simplebt.secure;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Ephemeral X25519 (RFC 7748) with raw 32-byte public keys on the wire. The JDK hands out keys
 * as a u-coordinate BigInteger; RFC 7748 §5 encodes u as 32 bytes little-endian.
 */
final class X25519 {
    static final int KEY_LENGTH = 32;
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    private X25519() {
    }

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK >= 11 has X25519", e);
        }
    }

    /** The 32-byte little-endian u-coordinate of a JDK X25519 public key. */
    static byte[] encode(PublicKey key) {
        BigInteger u = ((XECPublicKey) key).getU();
        byte[] be = u.toByteArray(); // big-endian, maybe with a leading 0x00 sign byte
        byte[] le = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    /** RFC 7748 §5: mask the top bit of the last byte, and accept non-canonical u by reducing mod p. */
    static PublicKey decode(byte[] raw) {
        if (raw.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 public key is 32 bytes, got " + raw.length);
        }
        byte[] be = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            be[i] = raw[KEY_LENGTH - 1 - i];
        }
        be[0] &= 0x7f;
        BigInteger u = new BigInteger(1, be).mod(P);
        try {
            return KeyFactory.getInstance("X25519").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK >= 11 has X25519", e);
        }
    }

    /**
     * The 32-byte shared secret. A peer that sends a low-order point would force an all-zero
     * secret (RFC 7748 §6.1 says to check); that is refused with InvalidKeyException.
     */
    static byte[] agree(PrivateKey mine, PublicKey theirs) throws InvalidKeyException {
        byte[] shared;
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(mine);
            ka.doPhase(theirs, true);
            shared = ka.generateSecret();
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK >= 11 has X25519", e);
        }
        int or = 0;
        for (byte b : shared) {
            or |= b;
        }
        if (or == 0) {
            throw new InvalidKeyException("peer's X25519 key has small order");
        }
        return shared;
    }
}
