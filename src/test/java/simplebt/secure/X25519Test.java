package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X25519Test {
    private static final HexFormat HEX = HexFormat.of();
    // RFC 7748 §6.1
    private static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @Test
    void decodesAndAgreesLikeRfc7748() throws Exception {
        byte[] shared = X25519.agree(alicePrivate(), X25519.decode(HEX.parseHex(BOB_PUBLIC)));

        assertThat(HEX.formatHex(shared)).isEqualTo(SHARED);
    }

    @Test
    void encodeIsTheInverseOfDecode() {
        assertThat(HEX.formatHex(X25519.encode(X25519.decode(HEX.parseHex(ALICE_PUBLIC))))).isEqualTo(ALICE_PUBLIC);
        for (int i = 0; i < 50; i++) {
            byte[] raw = X25519.encode(X25519.generate().getPublic());
            assertThat(raw).hasSize(32);
            assertThat(X25519.encode(X25519.decode(raw))).isEqualTo(raw);
        }
    }

    @Test
    void masksTheTopBitAsRfc7748Says() {
        byte[] raw = HEX.parseHex(BOB_PUBLIC);
        raw[31] |= (byte) 0x80;

        assertThat(HEX.formatHex(X25519.encode(X25519.decode(raw)))).isEqualTo(BOB_PUBLIC);
    }

    @Test
    void twoFreshPairsAgree() throws Exception {
        KeyPair a = X25519.generate();
        KeyPair b = X25519.generate();

        byte[] ab = X25519.agree(a.getPrivate(), X25519.decode(X25519.encode(b.getPublic())));
        byte[] ba = X25519.agree(b.getPrivate(), X25519.decode(X25519.encode(a.getPublic())));

        assertThat(ab).isEqualTo(ba);
    }

    @Test
    void refusesLowOrderPoints() {
        byte[] zero = new byte[32]; // u = 0: the shared secret would be all zeros
        byte[] one = new byte[32];
        one[0] = 1; // u = 1: order 4

        assertThatThrownBy(() -> X25519.agree(alicePrivate(), X25519.decode(zero))).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> X25519.agree(alicePrivate(), X25519.decode(one))).isInstanceOf(InvalidKeyException.class);
    }

    private static PrivateKey alicePrivate() throws Exception {
        return KeyFactory.getInstance("X25519").generatePrivate(
                new XECPrivateKeySpec(NamedParameterSpec.X25519, HEX.parseHex(ALICE_PRIVATE)));
    }
}
