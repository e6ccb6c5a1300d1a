package simplebt.mse;

import java.util.EnumSet;
import java.util.Set;

/** The bits of crypto_provide / crypto_select (a 32-bit field; other bits are reserved and ignored). */
public enum CryptoMethod {
    /** 0x01: after the handshake, the payload goes unencrypted. */
    PLAINTEXT(0x01),
    /** 0x02: the handshake's RC4 streams go on over the payload. */
    RC4(0x02);

    private final int bit;

    CryptoMethod(int bit) {
        this.bit = bit;
    }

    int bit() {
        return bit;
    }

    static int bits(Set<CryptoMethod> methods) {
        int b = 0;
        for (CryptoMethod m : methods) {
            b |= m.bit;
        }
        return b;
    }

    /** The known methods whose bits are set; unknown bits are ignored, as the spec asks. */
    static Set<CryptoMethod> of(int bits) {
        Set<CryptoMethod> s = EnumSet.noneOf(CryptoMethod.class);
        for (CryptoMethod m : values()) {
            if ((bits & m.bit) != 0) {
                s.add(m);
            }
        }
        return s;
    }
}
