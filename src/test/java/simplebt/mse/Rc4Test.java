package simplebt.mse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class Rc4Test {
    /** RFC 6229, key 0x0102030405 (40 bits): keystream at offsets 0 and 1024 (the first MSE uses). */
    @Test
    void matchesRfc6229() {
        Rc4 rc4 = new Rc4(HexFormat.of().parseHex("0102030405"));
        byte[] ks = new byte[1040];
        rc4.apply(ks, 0, ks.length);
        assertThat(HexFormat.of().formatHex(ks, 0, 16)).isEqualTo("b2396305f03dc027ccc3524a0a1118a8");
        assertThat(HexFormat.of().formatHex(ks, 1024, 1040)).isEqualTo("30abbcc7c20b01609f23ee2d5f6bb7df");
    }

    @Test
    void matchesTheJdksArcfourOverOddChunksAndDiscardsTheFirst1024Bytes() throws Exception {
        Random r = new Random(7);
        byte[] key = new byte[20];
        r.nextBytes(key);
        byte[] data = new byte[100_003];
        r.nextBytes(data);
        Cipher jdk = Cipher.getInstance("ARCFOUR");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
        jdk.update(new byte[1024]);
        byte[] expected = jdk.update(data);

        Rc4 ours = Rc4.forMse(key);
        byte[] out = new byte[data.length];
        for (int off = 0, step = 1; off < data.length; off += step, step = step * 3 % 4099 + 1) {
            int n = Math.min(step, data.length - off);
            ours.apply(data, off, out, off, n);
        }
        assertThat(out).isEqualTo(expected);
    }
}
