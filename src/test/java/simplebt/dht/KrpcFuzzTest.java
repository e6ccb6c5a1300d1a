package simplebt.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.hardening.FuzzLoop;
import simplebt.hardening.Mutator;

/**
 * Mutated KRPC datagrams (seeded; 100,000 cases, 1,000,000 with -Dsimplebt.fuzz.long=true).
 * Decoding may only succeed or throw {@link KrpcException}; whatever decodes re-encodes to
 * bytes that decode to the same message again, and what is refused with a reply yields a
 * well-formed error.
 */
class KrpcFuzzTest {
    private static final long SEED = 0xd47L;
    private static final int ROUNDS = Mutator.rounds(100_000);
    private static final Mutator MUTATOR = new Mutator(new byte[] {'d', 'e', 'l', 'i', ':', '0', '2', '6', (byte) 0xff, 'q', 'r'});
    private static final NodeId A = new NodeId("abcdefghij0123456789".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] T = {'x', 1};

    private static final List<byte[]> SEEDS = List.of(
            KrpcCodec.encode(new KrpcMessage.Ping(T, A)),
            KrpcCodec.encode(new KrpcMessage.FindNode(T, A, A)),
            KrpcCodec.encode(new KrpcMessage.GetPeers(T, A, A)),
            KrpcCodec.encode(new KrpcMessage.AnnouncePeer(T, A, A, 6881, false, new byte[8])),
            KrpcCodec.encode(new KrpcMessage.Response(T, A, List.of(new NodeInfo(A, new InetSocketAddress("127.0.0.1", 9))),
                    List.of(new InetSocketAddress("10.0.0.1", 80)), new byte[] {1}, new InetSocketAddress("1.2.3.4", 5))),
            KrpcCodec.encode(new KrpcMessage.Error(T, 203, "Protocol Error")));

    @Test
    void mutatedDatagramsDecodeOrFailWithKrpcException() {
        int accepted = new FuzzLoop(MUTATOR, SEED, ROUNDS, SEEDS).randomEvery(10, 200).accepted(KrpcException.class, in -> {
            byte[] again = KrpcCodec.encode(KrpcCodec.decode(in, in.length));
            assertThat(KrpcCodec.encode(KrpcCodec.decode(again, again.length))).isEqualTo(again);
        }, refused -> {
            assertThat(refused.getMessage()).isNotBlank();
            if (refused.t() != null) {
                byte[] reply = KrpcCodec.encode(refused.reply());
                try {
                    assertThat(KrpcCodec.decode(reply, reply.length)).isInstanceOf(KrpcMessage.Error.class);
                } catch (KrpcException e) {
                    fail("our error reply does not decode: " + Mutator.hex(reply), e);
                }
            }
        });
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }
}
