package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class AnnounceRequestTest {
    private static final String HASH = "%01%02%03%04%05%06%07%08%09%0a%0b%0c%0d%0e%0f%10%11%12%13%14";
    private static final String BASE = "info_hash=" + HASH + "&peer_id=-SB0001-abcdefghijkl&port=6881";

    private static AnnounceRequest parse(String query, boolean acceptIp) throws Exception {
        return AnnounceRequest.parse(query, null, InetAddress.getByName("10.0.0.7"), acceptIp);
    }

    @Test
    void parsesAllStandardFields() throws Exception {
        AnnounceRequest r = parse(BASE + "&uploaded=10&downloaded=20&left=30&event=started&compact=0&no_peer_id=1&numwant=7", false);
        assertThat(r.infoHash().hex()).isEqualTo("0102030405060708090a0b0c0d0e0f1011121314");
        assertThat(new String(r.peerId())).isEqualTo("-SB0001-abcdefghijkl");
        assertThat(r.port()).isEqualTo(6881);
        assertThat(r.uploaded()).isEqualTo(10);
        assertThat(r.downloaded()).isEqualTo(20);
        assertThat(r.left()).isEqualTo(30);
        assertThat(r.event()).isEqualTo(Event.STARTED);
        assertThat(r.compact()).isFalse();
        assertThat(r.noPeerId()).isTrue();
        assertThat(r.numwant()).isEqualTo(7);
        assertThat(r.ip()).containsExactly(10, 0, 0, 7);
        assertThat(r.passkey()).isEmpty();
    }

    @Test
    void defaultsAreCompactFiftyPeersAndRegularAnnounce() throws Exception {
        AnnounceRequest r = parse(BASE, false);
        assertThat(r.compact()).isTrue();
        assertThat(r.numwant()).isEqualTo(AnnounceRequest.DEFAULT_NUMWANT);
        assertThat(r.event()).isEqualTo(Event.NONE);
        assertThat(r.left()).isEqualTo(AnnounceRequest.LEFT_UNKNOWN);
    }

    @Test
    void capsNumwant() throws Exception {
        assertThat(parse(BASE + "&numwant=100000", false).numwant()).isEqualTo(AnnounceRequest.MAX_NUMWANT);
    }

    @Test
    void ignoresIpParameterUnlessConfigured() throws Exception {
        assertThat(parse(BASE + "&ip=1.2.3.4", false).ip()).containsExactly(10, 0, 0, 7);
        assertThat(parse(BASE + "&ip=1.2.3.4", true).ip()).containsExactly(1, 2, 3, 4);
        assertThat(parse(BASE + "&ip=example.com", true).ip()).containsExactly(10, 0, 0, 7);
    }

    @Test
    void passkeyFromPathOrQuery() throws Exception {
        assertThat(AnnounceRequest.parse(BASE, "abc", InetAddress.getLoopbackAddress(), false).passkey()).contains("abc");
        assertThat(parse(BASE + "&passkey=def", false).passkey()).contains("def");
    }

    @Test
    void ipv4MappedSourceBecomesIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(AnnounceRequest.address(v6)).containsExactly(127, 0, 0, 1);
    }

    @Test
    void rejectsMissingOrMalformedFieldsWithClearReasons() {
        assertThatThrownBy(() -> parse("peer_id=-SB0001-abcdefghijkl&port=1", false)).hasMessage("missing info_hash");
        assertThatThrownBy(() -> parse("info_hash=abc&peer_id=-SB0001-abcdefghijkl&port=1", false))
                .hasMessage("info_hash must be 20 bytes, got 3");
        assertThatThrownBy(() -> parse("info_hash=" + HASH + "&port=1", false)).hasMessage("missing peer_id");
        assertThatThrownBy(() -> parse("info_hash=" + HASH + "&peer_id=short&port=1", false))
                .hasMessage("peer_id must be 20 bytes, got 5");
        assertThatThrownBy(() -> parse("info_hash=" + HASH + "&peer_id=-SB0001-abcdefghijkl", false)).hasMessage("missing port");
        assertThatThrownBy(() -> parse(BASE.replace("6881", "70000"), false)).hasMessage("port must be 1-65535");
        assertThatThrownBy(() -> parse(BASE + "&event=resumed", false)).hasMessage("unknown event 'resumed'");
        assertThatThrownBy(() -> parse(BASE + "&left=-5", false)).hasMessage("left must not be negative");
    }

    /** BEP 21: a partial seed sends {@code paused}; it is a regular announce, not an error. */
    @Test
    void pausedIsARegularAnnounce() throws Exception {
        assertThat(parse(BASE + "&event=paused", false).event()).isEqualTo(Event.NONE);
    }
}
