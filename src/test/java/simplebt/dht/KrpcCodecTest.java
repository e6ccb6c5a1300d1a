package simplebt.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class KrpcCodecTest {
    private static final NodeId A = id("abcdefghij0123456789");
    private static final NodeId B = id("mnopqrstuvwxyz123456");
    private static final byte[] T = "aa".getBytes(StandardCharsets.US_ASCII);

    static NodeId id(String twenty) {
        return new NodeId(twenty.getBytes(StandardCharsets.US_ASCII));
    }

    private static String wire(KrpcMessage m) {
        return new String(KrpcCodec.encode(m), StandardCharsets.ISO_8859_1);
    }

    private static KrpcMessage decode(String s) throws KrpcException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return KrpcCodec.decode(b, b.length);
    }

    @Test
    void queriesAreTheBep5Examples() {
        assertThat(wire(new KrpcMessage.Ping(T, A))).isEqualTo("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe");
        assertThat(wire(new KrpcMessage.FindNode(T, A, B)))
                .isEqualTo("d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe");
        assertThat(wire(new KrpcMessage.GetPeers(T, A, B)))
                .isEqualTo("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe");
        assertThat(wire(new KrpcMessage.AnnouncePeer(T, A, B, 6881, true, "aoeusnth".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e"
                        + "5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe");
        assertThat(wire(new KrpcMessage.Error(T, 201, "A Generic Error Ocurred"))).isEqualTo("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee");
    }

    @Test
    void responsesCarryCompactNodesAndPeers() throws Exception {
        InetSocketAddress peer = new InetSocketAddress("10.1.2.3", 0x1ae1);
        NodeInfo node = new NodeInfo(B, new InetSocketAddress("127.0.0.1", 6881));
        KrpcMessage.Response r = new KrpcMessage.Response(T, A, List.of(node), List.of(peer), new byte[] {1, 2}, null);
        byte[] bytes = KrpcCodec.encode(r);
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                .contains("5:nodes26:mnopqrstuvwxyz123456\u007f\u0000\u0000\u0001\u001a\u00e1")
                .contains("6:valuesl6:\n\u0001\u0002\u0003\u001a\u00e1e");
        KrpcMessage.Response back = (KrpcMessage.Response) KrpcCodec.decode(bytes, bytes.length);
        assertThat(back.id()).isEqualTo(A);
        assertThat(back.nodes()).containsExactly(node);
        assertThat(back.values()).containsExactly(peer);
        assertThat(back.token()).containsExactly(1, 2);
    }

    @Test
    void unknownKeysAreIgnored() throws Exception {
        KrpcMessage m = decode("d1:ad2:id20:abcdefghij01234567895:extrai1ee1:q4:ping1:t2:aa1:v4:LT011:y1:qe");
        assertThat(m).isInstanceOf(KrpcMessage.Ping.class);
        assertThat(((KrpcMessage.Ping) m).id()).isEqualTo(A);
    }

    @Test
    void aQueryWithAWrongTypeGetsProtocolError203WithItsTransactionId() {
        assertThatThrownBy(() -> decode("d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe"))
                .isInstanceOfSatisfying(KrpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(203);
                    assertThat(e.t()).isEqualTo(T);
                    assertThat(wire(e.reply())).startsWith("d1:eli203e").contains("1:t2:aa");
                });
        assertThatThrownBy(() -> decode("d1:ad2:id20:abcdefghij01234567894:porti0e9:info_hash20:mnopqrstuvwxyz1234565:token1:xe"
                + "1:q13:announce_peer1:t2:aa1:y1:qe"))
                .isInstanceOfSatisfying(KrpcException.class, e -> assertThat(e.code()).isEqualTo(203));
    }

    @Test
    void anUnknownMethodIs204() {
        assertThatThrownBy(() -> decode("d1:ad2:id20:abcdefghij0123456789e1:q4:vote1:t2:aa1:y1:qe"))
                .isInstanceOfSatisfying(KrpcException.class, e -> assertThat(e.code()).isEqualTo(204));
    }

    @Test
    void garbageAndFaultyResponsesAreDroppedWithoutAReply() {
        for (String s : List.of("", "i5e", "d1:t2:aa1:y1:re", "d1:rd2:id3:abce1:t2:aa1:y1:re",
                "d1:rd2:id20:abcdefghij01234567895:nodes3:abce1:t2:aa1:y1:re", "d1:t0:1:y1:qe")) {
            assertThatThrownBy(() -> decode(s)).isInstanceOfSatisfying(KrpcException.class, e -> assertThat(e.t()).isNull());
        }
    }

    @Test
    void oversizeDatagramsAreRefusedBeforeDecoding() {
        byte[] big = new byte[KrpcCodec.MAX_DATAGRAM + 1];
        assertThatThrownBy(() -> KrpcCodec.decode(big, big.length)).isInstanceOf(KrpcException.class);
    }
}
