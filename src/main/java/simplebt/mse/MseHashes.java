package simplebt.mse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import simplebt.metainfo.InfoHash;

/** The spec's HASH() values: SHA-1 over an ASCII label and the secrets, 20 bytes each. */
final class MseHashes {
    static final int LENGTH = 20;

    private MseHashes() {
    }

    /** HASH('req1', S): the initiator's marker after PadA, which the responder synchronises on. */
    static byte[] req1(byte[] s) {
        return hash("req1", s);
    }

    /** HASH('req2', SKEY): names the torrent, hidden by xor with {@link #req3}. */
    static byte[] req2(InfoHash skey) {
        return hash("req2", skey.bytes());
    }

    static byte[] req3(byte[] s) {
        return hash("req3", s);
    }

    /** RC4 key of the initiator's direction: HASH('keyA', S, SKEY). */
    static byte[] keyA(byte[] s, InfoHash skey) {
        return hash("keyA", s, skey.bytes());
    }

    /** RC4 key of the responder's direction: HASH('keyB', S, SKEY). */
    static byte[] keyB(byte[] s, InfoHash skey) {
        return hash("keyB", s, skey.bytes());
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = (byte) (a[k] ^ b[k]);
        }
        return out;
    }

    private static byte[] hash(String label, byte[]... parts) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(label.getBytes(StandardCharsets.US_ASCII));
            for (byte[] p : parts) {
                sha1.update(p);
            }
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
