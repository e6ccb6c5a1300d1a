package simplebt.udptracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** BEP 15 / BEP 41 packets byte by byte, both directions, and the inputs the codec refuses. */
class UdpCodecTest {
    private static final byte[] HASH = bytes(20, 0x11);
    private static final byte[] PEER = bytes(20, 0x22);

    private static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void connectRequestAndReply() throws Exception {
        byte[] wire = hex("0000041727101980" // protocol id
                + "00000000"              // action 0: connect
                + "cafebabe");            // transaction id
        assertThat(UdpCodec.encode(new UdpRequest.Connect(0xcafebabe))).containsExactly(wire);
        assertThat(UdpCodec.decodeRequest(wire, wire.length)).isEqualTo(new UdpRequest.Connect(0xcafebabe));

        byte[] reply = hex("00000000"     // action 0
                + "cafebabe"              // transaction id
                + "0102030405060708");    // connection id
        assertThat(UdpCodec.encode(new UdpResponse.Connected(0xcafebabe, 0x0102030405060708L))).containsExactly(reply);
        assertThat(UdpCodec.decodeResponse(reply, reply.length, false))
                .isEqualTo(new UdpResponse.Connected(0xcafebabe, 0x0102030405060708L));
    }

    @Test
    void announceRequestWithUrlDataOption() throws Exception {
        UdpRequest.Announce a = new UdpRequest.Announce(0x0102030405060708L, 7, HASH, PEER, 100, 200, 300,
                UdpEvent.STARTED, 0, 0x55, -1, 6881, "/announce?passkey=ab");
        byte[] wire = UdpCodec.encode(a);
        ByteBuffer b = ByteBuffer.wrap(wire);
        assertThat(b.getLong()).isEqualTo(0x0102030405060708L); // connection id
        assertThat(b.getInt()).isEqualTo(1);                    // action 1: announce
        assertThat(b.getInt()).isEqualTo(7);                    // transaction id
        assertThat(Arrays.copyOfRange(wire, 16, 36)).containsExactly(HASH);
        assertThat(Arrays.copyOfRange(wire, 36, 56)).containsExactly(PEER);
        b.position(56);
        assertThat(b.getLong()).isEqualTo(100);                 // downloaded
        assertThat(b.getLong()).isEqualTo(200);                 // left
        assertThat(b.getLong()).isEqualTo(300);                 // uploaded
        assertThat(b.getInt()).isEqualTo(2);                    // event 2: started
        assertThat(b.getInt()).isZero();                        // ip: default
        assertThat(b.getInt()).isEqualTo(0x55);                 // key
        assertThat(b.getInt()).isEqualTo(-1);                   // num want: default
        assertThat(b.getShort()).isEqualTo((short) 6881);       // port
        assertThat(b.get()).isEqualTo((byte) 2);                // BEP 41 option: URL data
        assertThat(b.get()).isEqualTo((byte) 20);               // its length
        assertThat(wire).hasSize(98 + 2 + 20);
        UdpRequest.Announce back = (UdpRequest.Announce) UdpCodec.decodeRequest(wire, wire.length);
        assertThat(back.urlData()).isEqualTo("/announce?passkey=ab");
        assertThat(back.infoHash()).containsExactly(HASH);
        assertThat(back.port()).isEqualTo(6881);
        assertThat(back.event()).isEqualTo(UdpEvent.STARTED);
    }

    @Test
    void urlDataLongerThanOneOptionIsSplitAndJoined() throws Exception {
        String path = "/announce/" + "x".repeat(300);
        byte[] wire = UdpCodec.encode(new UdpRequest.Announce(1, 2, HASH, PEER, 0, 0, 0, UdpEvent.NONE, 0, 0, 50, 1, path));
        assertThat(wire).hasSize(98 + 2 + 255 + 2 + (path.length() - 255));
        assertThat(((UdpRequest.Announce) UdpCodec.decodeRequest(wire, wire.length)).urlData()).isEqualTo(path);
    }

    @Test
    void nopEndAndUnknownOptionsAreHandledAsBep41Says() throws Exception {
        byte[] fixed = UdpCodec.encode(new UdpRequest.Announce(1, 2, HASH, PEER, 0, 0, 0, UdpEvent.NONE, 0, 0, 50, 1, ""));
        byte[] options = {1, 1, 2, 2, '/', 'a', 9, 3, 0, 0, 0, 2, 1, 'b', 0, 2, 1, 'z'}; // nop, nop, "/a", unknown 9, "b", end, ignored
        byte[] wire = ByteBuffer.allocate(fixed.length + options.length).put(fixed).put(options).array();
        assertThat(((UdpRequest.Announce) UdpCodec.decodeRequest(wire, wire.length)).urlData()).isEqualTo("/ab");
    }

    @Test
    void announceReplyIpv4AndIpv6() throws Exception {
        byte[] v4 = hex("00000001 00000009 00000708 00000003 00000002" // action 1, tid, interval 1800, leechers 3, seeders 2
                + "7f000001 1ae1");                                     // 127.0.0.1:6881
        UdpResponse.Announced a = (UdpResponse.Announced) UdpCodec.decodeResponse(v4, v4.length, false);
        assertThat(a.interval()).isEqualTo(1800);
        assertThat(a.leechers()).isEqualTo(3);
        assertThat(a.seeders()).isEqualTo(2);
        assertThat(a.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6881));
        assertThat(UdpCodec.encode(a)).containsExactly(v4);

        byte[] v6 = hex("00000001 00000009 00000708 00000001 00000000"
                + "00000000000000000000000000000001 1ae2");              // [::1]:6882, 18 bytes
        assertThat(((UdpResponse.Announced) UdpCodec.decodeResponse(v6, v6.length, true)).peers())
                .containsExactly(new InetSocketAddress("::1", 6882));
        assertThatThrownBy(() -> UdpCodec.decodeResponse(v4, v4.length, true)) // 6 bytes from an IPv6 tracker
                .isInstanceOf(UdpPacketException.class).hasMessageContaining("not a multiple of 18");
    }

    @Test
    void scrapeRequestAndReply() throws Exception {
        byte[] wire = UdpCodec.encode(new UdpRequest.Scrape(5, 6, List.of(HASH, PEER)));
        assertThat(wire).hasSize(16 + 40);
        assertThat(Arrays.copyOfRange(wire, 8, 12)).containsExactly(0, 0, 0, 2); // action 2: scrape
        UdpRequest.Scrape s = (UdpRequest.Scrape) UdpCodec.decodeRequest(wire, wire.length);
        assertThat(s.infoHashes()).hasSize(2);
        assertThat(s.infoHashes().get(1)).containsExactly(PEER);

        byte[] reply = hex("00000002 00000006 0000000a 00000014 0000001e"); // seeders 10, completed 20, leechers 30
        assertThat(UdpCodec.decodeResponse(reply, reply.length, false))
                .isEqualTo(new UdpResponse.Scraped(6, List.of(new UdpResponse.ScrapeCounts(10, 20, 30))));
        assertThat(UdpCodec.encode(new UdpResponse.Scraped(6, List.of(new UdpResponse.ScrapeCounts(10, 20, 30)))))
                .containsExactly(reply);
    }

    @Test
    void errorReply() throws Exception {
        byte[] reply = hex("00000003 00000006 6e6f"); // action 3, tid, "no"
        assertThat(UdpCodec.encode(new UdpResponse.Error(6, "no"))).containsExactly(reply);
        assertThat(UdpCodec.decodeResponse(reply, reply.length, false)).isEqualTo(new UdpResponse.Error(6, "no"));
    }

    @Test
    void refusesTruncatedUnknownAndOversizedRequests() {
        byte[] connect = UdpCodec.encode(new UdpRequest.Connect(1));
        assertThatThrownBy(() -> UdpCodec.decodeRequest(connect, 15)).hasMessageContaining("15 bytes, expected at least 16");
        byte[] badMagic = connect.clone();
        badMagic[0] = 1;
        assertThatThrownBy(() -> UdpCodec.decodeRequest(badMagic, 16)).hasMessageContaining("protocol id");
        byte[] unknown = connect.clone();
        unknown[11] = 7;
        assertThatThrownBy(() -> UdpCodec.decodeRequest(unknown, 16)).hasMessageContaining("unknown action 7");
        byte[] announce = UdpCodec.encode(new UdpRequest.Announce(1, 2, HASH, PEER, 0, 0, 0, UdpEvent.NONE, 0, 0, 50, 1, ""));
        assertThatThrownBy(() -> UdpCodec.decodeRequest(announce, 97)).hasMessageContaining("expected at least 98");
        announce[83] = 4; // event 4 does not exist
        assertThatThrownBy(() -> UdpCodec.decodeRequest(announce, 98)).hasMessageContaining("unknown event 4");
        byte[] scrape = UdpCodec.encode(new UdpRequest.Scrape(1, 2, List.of(HASH)));
        assertThatThrownBy(() -> UdpCodec.decodeRequest(scrape, 35)).hasMessageContaining("in steps of 20");
        byte[] huge = new byte[16 + 75 * 20]; // one hash more than BEP 15's 74
        System.arraycopy(scrape, 0, huge, 0, 16);
        assertThatThrownBy(() -> UdpCodec.decodeRequest(huge, huge.length)).hasMessageContaining("at most 1500");
        assertThatThrownBy(() -> UdpCodec.decodeRequest(new byte[1501], 1501)).hasMessageContaining("at most 1500");
    }

    @Test
    void refusesTruncatedOption() {
        byte[] fixed = UdpCodec.encode(new UdpRequest.Announce(1, 2, HASH, PEER, 0, 0, 0, UdpEvent.NONE, 0, 0, 50, 1, ""));
        byte[] wire = ByteBuffer.allocate(fixed.length + 4).put(fixed).put(new byte[] {2, 9, 'a', 'b'}).array();
        assertThatThrownBy(() -> UdpCodec.decodeRequest(wire, wire.length))
                .hasMessageContaining("option 2 at byte 98 declares 9 bytes, 2 left");
        byte[] noLength = ByteBuffer.allocate(fixed.length + 1).put(fixed).put((byte) 2).array();
        assertThatThrownBy(() -> UdpCodec.decodeRequest(noLength, noLength.length)).hasMessageContaining("has no length");
    }

    @Test
    void refusesShortReplies() {
        assertThatThrownBy(() -> UdpCodec.decodeResponse(new byte[7], 7, false)).hasMessageContaining("at least 8");
        byte[] connect = hex("00000000 00000001 0102");
        assertThatThrownBy(() -> UdpCodec.decodeResponse(connect, connect.length, false)).hasMessageContaining("too short");
        byte[] scrape = hex("00000002 00000001 00000001");
        assertThatThrownBy(() -> UdpCodec.decodeResponse(scrape, scrape.length, false)).hasMessageContaining("multiple of 12");
    }
}
