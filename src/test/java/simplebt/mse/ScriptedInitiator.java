package simplebt.mse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

import simplebt.metainfo.InfoHash;

/**
 * Side A written out by hand with every field choosable, to send what our own initiator never
 * sends: long pads, an initial payload, odd crypto_provide bits, lies about pad lengths.
 */
final class ScriptedInitiator {
    int padA = 0;
    int padC = 0;
    /** The len(PadC) written, normally {@code padC}. */
    int declaredPadC = -1;
    int provide = 0x03;
    byte[] ia = new byte[0];
    byte[] vc = new byte[8];

    /** Sends steps 1 and 3 (reading Yb in between); returns the RC4 keys' streams (encrypt, decrypt). */
    Rc4[] run(InputStream in, OutputStream out, InfoHash skey, Random random) throws IOException {
        DhKey mine = DhKey.generate(random);
        out.write(mine.publicKey());
        out.write(new byte[padA]);
        out.flush();
        byte[] yb = in.readNBytes(DhKey.LENGTH);
        byte[] s = mine.secret(yb);
        Rc4 encrypt = Rc4.forMse(MseHashes.keyA(s, skey));
        Rc4 decrypt = Rc4.forMse(MseHashes.keyB(s, skey));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        plain.write(vc);
        plain.write(ByteBuffer.allocate(4).putInt(provide).array());
        int declared = declaredPadC >= 0 ? declaredPadC : padC;
        plain.write(declared >> 8);
        plain.write(declared);
        plain.write(new byte[padC]);
        plain.write(ia.length >> 8);
        plain.write(ia.length);
        plain.write(ia);
        byte[] enc = plain.toByteArray();
        encrypt.apply(enc, 0, enc.length);
        out.write(MseHashes.req1(s));
        out.write(MseHashes.xor(MseHashes.req2(skey), MseHashes.req3(s)));
        out.write(enc);
        out.flush();
        return new Rc4[] {encrypt, decrypt};
    }
}
