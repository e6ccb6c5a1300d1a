package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The client name a menu shows comes only from a printable Azureus-style peer id (BEP 20). */
class PeerSummaryTest {
    private static String client(String id) {
        return PeerSummary.client(Optional.of(id.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void azureusStyleIdsNameTheirClient() {
        assertThat(client("-SJ0100-abcdefghijkl")).isEqualTo("-SJ0100-");
        assertThat(client("-qB4650-abcdefghijkl")).isEqualTo("-qB4650-");
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(client("M7-2-2--abcdefghijkl")).isEqualTo("?");   // Mainline style: not read
        assertThat(client("-S\033[2J-abcdefghijkl")).isEqualTo("?");  // a peer cannot put escapes on our screen
        assertThat(client("-SJ")).isEqualTo("?");
        assertThat(PeerSummary.client(Optional.empty())).isEqualTo("?");
    }
}
