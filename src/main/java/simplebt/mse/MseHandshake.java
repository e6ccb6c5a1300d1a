package simplebt.mse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

import simplebt.mse.MseException.Kind;

/** What both sides of the handshake share: the limits, the pads, and sending. */
final class MseHandshake {
    /** PadA, PadB, PadC and PadD: 0 to 512 bytes each. */
    static final int MAX_PAD = 512;
    /** VC: 8 zero bytes. */
    static final int VC_LENGTH = 8;
    /** ENCRYPT(VC, crypto_provide or crypto_select, len(pad)): 8 + 4 + 2 bytes. */
    static final int BLOCK_LENGTH = VC_LENGTH + 4 + 2;

    private MseHandshake() {
    }

    /** A public key followed by 0..512 random bytes (PadA / PadB: random, so the size says nothing). */
    static byte[] keyAndPad(DhKey key, Random random) {
        byte[] pad = new byte[random.nextInt(MAX_PAD + 1)];
        random.nextBytes(pad);
        return ByteBuffer.allocate(DhKey.LENGTH + pad.length).put(key.publicKey()).put(pad).array();
    }

    /** VC, then the 32-bit method field, then len(pad) = 0 (PadC / PadD stay empty, as the spec allows). */
    static byte[] block(int methodBits) {
        return ByteBuffer.allocate(BLOCK_LENGTH).put(new byte[VC_LENGTH]).putInt(methodBits).putShort((short) 0).array();
    }

    static int padLength(byte[] block, int at, String which) throws MseException {
        int len = ((block[at] & 0xff) << 8) | (block[at + 1] & 0xff);
        if (len > MAX_PAD) {
            throw new MseException(Kind.BAD_PAD, which + " is " + len + " bytes long; at most " + MAX_PAD + " are allowed");
        }
        return len;
    }

    static int methodBits(byte[] block) {
        return ByteBuffer.wrap(block, VC_LENGTH, 4).getInt();
    }

    static void send(OutputStream out, byte[] bytes, String what) throws MseException {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new MseException(Kind.INCOMPLETE, "connection failed sending " + what + " (" + e.getMessage() + ")");
        }
    }
}
