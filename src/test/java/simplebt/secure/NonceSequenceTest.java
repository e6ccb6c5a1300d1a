package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NonceSequenceTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void nonceIsIvXorBigEndianCounter() throws Exception {
        NonceSequence nonces = new NonceSequence(HEX.parseHex("0102030405060708090a0b0c"));

        assertThat(HEX.formatHex(nonces.next())).isEqualTo("0102030405060708090a0b0c"); // counter 0
        assertThat(HEX.formatHex(nonces.next())).isEqualTo("0102030405060708090a0b0d"); // counter 1
        for (int i = 2; i < 0x1234; i++) {
            nonces.next();
        }
        // iv bytes 4..11 XOR 00 00 00 00 00 00 12 34
        assertThat(HEX.formatHex(nonces.next())).isEqualTo("0102030405060708090a1938");
        assertThat(nonces.counter()).isEqualTo(0x1235);
    }

    @Test
    void neverRepeatsANonce() throws Exception {
        NonceSequence nonces = new NonceSequence(HEX.parseHex("ffeeddccbbaa998877665544"));
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(HEX.formatHex(nonces.next()))).as("nonce #%d is new", i).isTrue();
        }
    }

    @Test
    void endsAtTheLimitInsteadOfWrapping() throws Exception {
        NonceSequence nonces = new NonceSequence(new byte[12], 3);
        nonces.next();
        nonces.next();
        nonces.next();

        assertThatThrownBy(nonces::next).isInstanceOfSatisfying(SecureChannelException.class,
                e -> assertThat(e.kind()).isEqualTo(SecureChannelException.Kind.RECORD_LIMIT));
        assertThatThrownBy(nonces::next).isInstanceOf(SecureChannelException.class); // and stays ended
    }

    @Test
    void defaultLimitFollowsRfc8446Margin() {
        assertThat(NonceSequence.DEFAULT_LIMIT).isEqualTo(1L << 24);
    }
}
