package simplebt.secure;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Every secret of one connection, from one HKDF-SHA256 extract (RFC 5869):
 * <pre>
 * th  = SHA-256(hello (72 bytes) || responder public key (32 bytes))
 * prk = HKDF-Extract(salt = th, ikm = X25519 shared secret || info hash || u16 len || swarm secret)
 * each value = HKDF-Expand(prk, "simplebt-secure/1 " + name, length)
 * </pre>
 * The transcript hash binds both public keys, the magic and the tag; the ikm binds the torrent
 * and the tracker's swarm secret, so keys agree only when both sides share all of them.
 */
record KeySchedule(byte[] i2rKey, byte[] i2rIv, byte[] r2iKey, byte[] r2iIv, byte[] i2rConfirm, byte[] r2iConfirm) {
    static final int KEY_LENGTH = 32;
    static final int CONFIRM_LENGTH = 32;

    static KeySchedule derive(byte[] sharedSecret, byte[] hello, byte[] responderKey, SwarmKey swarm) {
        byte[] th = sha256(hello, responderKey);
        byte[] swarmPart = swarm.encoded();
        byte[] ikm = new byte[sharedSecret.length + swarmPart.length];
        System.arraycopy(sharedSecret, 0, ikm, 0, sharedSecret.length);
        System.arraycopy(swarmPart, 0, ikm, sharedSecret.length, swarmPart.length);
        byte[] prk = Hkdf.extract(th, ikm);
        return new KeySchedule(
                Hkdf.expand(prk, Hello.label("i2r key"), KEY_LENGTH),
                Hkdf.expand(prk, Hello.label("i2r iv"), NonceSequence.NONCE_LENGTH),
                Hkdf.expand(prk, Hello.label("r2i key"), KEY_LENGTH),
                Hkdf.expand(prk, Hello.label("r2i iv"), NonceSequence.NONCE_LENGTH),
                Hkdf.expand(prk, Hello.label("i2r confirm"), CONFIRM_LENGTH),
                Hkdf.expand(prk, Hello.label("r2i confirm"), CONFIRM_LENGTH));
    }

    RecordCipher initiatorSealer() {
        return RecordCipher.sealing(i2rKey, new NonceSequence(i2rIv));
    }

    RecordCipher initiatorOpener() {
        return RecordCipher.opening(r2iKey, new NonceSequence(r2iIv));
    }

    RecordCipher responderSealer() {
        return RecordCipher.sealing(r2iKey, new NonceSequence(r2iIv));
    }

    RecordCipher responderOpener() {
        return RecordCipher.opening(i2rKey, new NonceSequence(i2rIv));
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
