package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class PexMessageTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void compactEntriesOnTheWire() throws Exception {
        PexMessage m = new PexMessage(List.of(new InetSocketAddress("10.0.0.1", 6881)), new byte[] {0x12},
                List.of(), List.of(new InetSocketAddress("10.0.0.2", 258)));
        assertThat(m.encode()).isEqualTo(ascii("d5:added6:\n\0\0\001\u001a\u00e17:added.f1:\u00127:dropped6:\n\0\0\002\001\002e"));
        assertThat(PexMessage.decode(m.encode())).isEqualTo(m);
    }

    @Test
    void ipv6AndPortZero() throws Exception {
        byte[] v6 = new byte[18];
        v6[15] = 1;
        v6[16] = 0x1a;
        v6[17] = (byte) 0xe1;
        byte[] payload = new byte[0];
        String head = "d5:added12:";
        byte[] added = {1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0, 9}; // the first has port 0: skipped
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(ascii(head));
        out.writeBytes(added);
        out.writeBytes(ascii("7:added.f2:"));
        out.writeBytes(new byte[] {0x01, 0x02});
        out.writeBytes(ascii("6:added618:"));
        out.writeBytes(v6);
        out.writeBytes(ascii("e"));
        payload = out.toByteArray();
        PexMessage m = PexMessage.decode(payload);
        assertThat(m.added()).containsExactly(new InetSocketAddress("5.6.7.8", 9));
        assertThat(m.addedFlags()).containsExactly(0x02);
        assertThat(m.added6()).containsExactly(new InetSocketAddress("::1", 6881));
    }

    @Test
    void hostileListsAreRefused() {
        refused("d5:added5:abcdee", "ut_pex added of 5 bytes is not a list of 6-byte entries");
        refused("d6:added67:abcdefgh", null);
        refused("d5:addedi3ee", "ut_pex added must be a string");
        refused("li1ee", "ut_pex message must be a dictionary");
        String many = "x".repeat(6 * (PexMessage.MAX_ENTRIES + 1));
        refused("d7:dropped" + many.length() + ":" + many + "e", "ut_pex dropped has 201 entries, more than 200");
    }

    @Test
    void flagsOfTheWrongLengthAreIgnoredNotTrusted() throws Exception {
        PexMessage m = PexMessage.decode(ascii("d5:added6:\u0001\u0002\u0003\u0004\u0000\u00097:added.f2:\u0002\u0002e"));
        assertThat(m.added()).hasSize(1);
        assertThat(m.addedFlags()).isEmpty();
    }

    private static void refused(String payload, String message) {
        var t = assertThatThrownBy(() -> PexMessage.decode(ascii(payload))).isInstanceOf(WireException.class);
        if (message != null) {
            t.hasMessage(message);
        }
    }
}
