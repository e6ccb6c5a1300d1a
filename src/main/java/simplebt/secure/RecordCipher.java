package simplebt.secure;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals or opens the records of one direction with AES-256-GCM. One Cipher per direction is
 * re-initialised per record with the next counter nonce, so nothing is allocated per record but
 * the small GCMParameterSpec.
 *
 * <pre>
 * record: length u16 big-endian (ciphertext bytes incl. the 16-byte tag, 17..16400)
 *         ciphertext (plaintext 1..16384 bytes, then the GCM tag)
 * AAD = the two length bytes; nonce = IV XOR counter (see NonceSequence)
 * </pre>
 */
final class RecordCipher {
    static final int HEADER_LENGTH = 2;
    static final int TAG_LENGTH = 16;
    static final int MAX_PLAINTEXT = 16 * 1024;
    static final int MIN_CIPHERTEXT = 1 + TAG_LENGTH;
    static final int MAX_CIPHERTEXT = MAX_PLAINTEXT + TAG_LENGTH;
    static final int MAX_RECORD = HEADER_LENGTH + MAX_CIPHERTEXT;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final NonceSequence nonces;
    private final int mode;

    private RecordCipher(int mode, byte[] key, NonceSequence nonces) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 key must be 32 bytes, got " + key.length);
        }
        this.mode = mode;
        this.key = new SecretKeySpec(key, "AES");
        this.nonces = nonces;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has AES/GCM", e);
        }
    }

    static RecordCipher sealing(byte[] key, NonceSequence nonces) {
        return new RecordCipher(Cipher.ENCRYPT_MODE, key, nonces);
    }

    static RecordCipher opening(byte[] key, NonceSequence nonces) {
        return new RecordCipher(Cipher.DECRYPT_MODE, key, nonces);
    }

    /** Records sealed or opened so far. */
    long count() {
        return nonces.counter();
    }

    /** Writes header + ciphertext of {@code in[off, off+len)} at {@code out[outOff]}; returns the record length. */
    int seal(byte[] in, int off, int len, byte[] out, int outOff) throws SecureChannelException {
        if (mode != Cipher.ENCRYPT_MODE || len < 1 || len > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("cannot seal " + len + " bytes in this mode");
        }
        int ctLen = len + TAG_LENGTH;
        out[outOff] = (byte) (ctLen >>> 8);
        out[outOff + 1] = (byte) ctLen;
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, nonces.next()));
            cipher.updateAAD(out, outOff, HEADER_LENGTH);
            int n = cipher.doFinal(in, off, len, out, outOff + HEADER_LENGTH);
            assert n == ctLen;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
        return HEADER_LENGTH + ctLen;
    }

    /** Reads the length of the record whose header starts at {@code buf[off]}, bounded before anyone allocates. */
    static int ciphertextLength(byte[] buf, int off) throws SecureChannelException {
        int ctLen = ((buf[off] & 0xff) << 8) | (buf[off + 1] & 0xff);
        if (ctLen < MIN_CIPHERTEXT || ctLen > MAX_CIPHERTEXT) {
            throw new SecureChannelException(SecureChannelException.Kind.MALFORMED,
                    "record length " + ctLen + " outside " + MIN_CIPHERTEXT + ".." + MAX_CIPHERTEXT);
        }
        return ctLen;
    }

    /**
     * Opens the record at {@code rec[off]} (header then ciphertext, complete) into {@code out[outOff]};
     * returns the plaintext length. A wrong tag (tampered, replayed, reordered, wrong key) throws
     * AUTH_FAILED.
     */
    int open(byte[] rec, int off, byte[] out, int outOff) throws SecureChannelException {
        if (mode != Cipher.DECRYPT_MODE) {
            throw new IllegalStateException("this RecordCipher seals");
        }
        int ctLen = ciphertextLength(rec, off);
        long number = nonces.counter();
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, nonces.next()));
            cipher.updateAAD(rec, off, HEADER_LENGTH);
            return cipher.doFinal(rec, off + HEADER_LENGTH, ctLen, out, outOff);
        } catch (AEADBadTagException e) {
            throw new SecureChannelException(SecureChannelException.Kind.AUTH_FAILED,
                    "record #" + number + " (" + ctLen + " bytes) failed authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed", e);
        }
    }
}
