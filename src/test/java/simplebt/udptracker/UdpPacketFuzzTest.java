package simplebt.udptracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import simplebt.hardening.FuzzLoop;
import simplebt.hardening.Mutator;

/**
 * Mutated UDP tracker packets, both directions (seeded; 100,000 cases each, 1,000,000 with
 * -Dsimplebt.fuzz.long=true). Decoding may only succeed or throw {@link UdpPacketException};
 * whatever decodes re-encodes to bytes that decode to the same packet again.
 */
class UdpPacketFuzzTest {
    private static final long SEED = 0x0d9_15L;
    private static final int ROUNDS = Mutator.rounds(100_000);
    private static final Mutator MUTATOR = new Mutator(new byte[] {0, 1, 2, 3, 20, (byte) 0xff, '/', '?', '=', 'a'});
    private static final byte[] HASH = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

    private static final List<byte[]> REQUESTS = List.of(
            UdpCodec.encode(new UdpRequest.Connect(7)),
            UdpCodec.encode(new UdpRequest.Announce(42, 7, HASH, HASH, 1, 2, 3, UdpEvent.STARTED, 0, 9, -1, 6881,
                    "/announce?passkey=0123456789abcdef0123456789abcdef")),
            UdpCodec.encode(new UdpRequest.Announce(42, 7, HASH, HASH, 0, 0, 0, UdpEvent.NONE, 0, 0, 50, 1, "")),
            UdpCodec.encode(new UdpRequest.Scrape(42, 7, List.of(HASH, HASH))));
    private static final List<byte[]> RESPONSES = List.of(
            UdpCodec.encode(new UdpResponse.Connected(7, 42)),
            UdpCodec.encode(new UdpResponse.Announced(7, 1800, 1, 2, false, new byte[] {127, 0, 0, 1, 0x1a, (byte) 0xe1})),
            UdpCodec.encode(new UdpResponse.Announced(7, 1800, 1, 2, true, new byte[18])),
            UdpCodec.encode(new UdpResponse.Scraped(7, List.of(new UdpResponse.ScrapeCounts(1, 2, 3)))),
            UdpCodec.encode(new UdpResponse.Error(7, "unknown passkey")));

    private static FuzzLoop loop(long seed, List<byte[]> seeds) {
        return new FuzzLoop(MUTATOR, seed, ROUNDS, seeds).randomEvery(10, 120);
    }

    @Test
    void mutatedRequestsDecodeOrFailWithUdpPacketException() {
        int accepted = loop(SEED, REQUESTS).accepted(UdpPacketException.class, in -> {
            byte[] again = UdpCodec.encode(UdpCodec.decodeRequest(in, in.length));
            assertThat(UdpCodec.encode(UdpCodec.decodeRequest(again, again.length))).isEqualTo(again);
        }, refused -> assertThat(refused.getMessage()).isNotBlank());
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }

    @Test
    void mutatedResponsesDecodeOrFailWithUdpPacketException() {
        SplittableRandom family = new SplittableRandom(SEED + 2);
        int accepted = loop(SEED + 1, RESPONSES).accepted(UdpPacketException.class, in -> {
            boolean ipv6 = family.nextBoolean();
            UdpResponse r = UdpCodec.decodeResponse(in, in.length, ipv6);
            if (r instanceof UdpResponse.Announced a) {
                assertThat(a.peers()).allSatisfy(p -> assertThat(p.getPort()).isBetween(1, 65535));
            }
            byte[] again = UdpCodec.encode(r);
            assertThat(UdpCodec.encode(UdpCodec.decodeResponse(again, again.length, ipv6))).isEqualTo(again);
        }, refused -> assertThat(refused.getMessage()).isNotBlank());
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }
}
