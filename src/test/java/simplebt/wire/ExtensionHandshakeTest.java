package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * BEP 10 handshakes as other clients send them (issue 14): the connection reads them with the
 * lenient decoder, so a handshake off BEP 3's canonical form no longer closes it.
 */
class ExtensionHandshakeTest {
    private static ExtensionHandshake decode(String s) throws WireException {
        return ExtensionHandshake.decode(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void unsortedKeysAreRead() throws WireException {
        // v before m, reqq before p: BEP 3 wants them sorted, some clients do not
        ExtensionHandshake ext = decode("d1:v10:Client/1.04:reqqi250e1:md6:ut_pexi2ee1:pi51413ee");
        assertThat(ext.client()).contains("Client/1.0");
        assertThat(ext.requestQueue()).contains(250);
        assertThat(ext.extensions()).containsEntry("ut_pex", 2);
        assertThat(ext.port()).contains(51413);
    }

    @Test
    void duplicateKeysAndATrailingNewlineAreRead() throws WireException {
        ExtensionHandshake ext = decode("d1:md6:ut_pexi2ee4:reqqi100e4:reqqi9ee\r\n");
        assertThat(ext.requestQueue()).contains(100); // the first wins
    }

    @Test
    void somethingThatIsNotBencodeIsStillAnError() {
        assertThatThrownBy(() -> decode("d1:md6:ut_pexi2ee")).isInstanceOf(WireException.class)
                .hasMessageStartingWith("extension handshake is not valid bencode");
        assertThatThrownBy(() -> decode("d1:md6:ut_pexi2eee junk")).isInstanceOf(WireException.class)
                .hasMessageContaining("data after the end of the value");
    }

    @Test
    void aHandshakeOfManyValuesIsRefusedBeforeItIsBuilt() {
        String many = "d1:ml" + "i0e".repeat(20_000) + "ee";
        assertThatThrownBy(() -> decode(many)).isInstanceOf(WireException.class)
                .hasMessageContaining("more values than the decoder's limit");
    }
}
