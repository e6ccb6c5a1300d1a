package simplebt.tracker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import simplebt.hardening.FuzzLoop;
import simplebt.hardening.Mutator;

/**
 * Mutated announce query strings (seeded; 100,000 cases, 1,000,000 with
 * -Dsimplebt.fuzz.long=true): {@link AnnounceRequest#parse} and {@link QueryString#parse} may
 * only succeed or throw {@link BadRequest}, whose message becomes the failure reason. An
 * accepted announce always carries a 20-byte info_hash and peer_id and a port in 1..65535.
 */
class AnnounceQueryFuzzTest {
    private static final long SEED = 0xa77_0c3L;
    private static final int ROUNDS = Mutator.rounds(100_000);
    private static final Mutator MUTATOR = new Mutator("%&=+0123456789abcdefzAF_\u00e9".getBytes(ISO_8859_1));
    private static final List<String> SEEDS = List.of(
            "info_hash=%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A&peer_id=-SB0001-abcdefghijkl&port=6881"
                    + "&uploaded=0&downloaded=0&left=1000&event=started&compact=1&numwant=30",
            "info_hash=aaaaaaaaaaaaaaaaaaaa&peer_id=bbbbbbbbbbbbbbbbbbbb&port=1&passkey=0123456789abcdef&ip=10.0.0.1&event=completed",
            "info_hash=%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00&peer_id=%FF%FF%FF%FF%FF"
                    + "%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF&port=65535&no_peer_id=1&event=stopped&left=0");

    @Test
    void mutatedQueriesParseOrFailWithBadRequest() throws Exception {
        SplittableRandom acceptIp = new SplittableRandom(SEED);
        InetAddress source = InetAddress.getLoopbackAddress();
        int accepted = FuzzLoop.ofText(MUTATOR, SEED, ROUNDS, SEEDS).randomEvery(10, 60).accepted(BadRequest.class, bytes -> {
            // A URI's raw query is text; arbitrary bytes arrive as ISO-8859-1 characters here.
            String query = new String(bytes, ISO_8859_1);
            QueryString.parse(query);
            AnnounceRequest r = AnnounceRequest.parse(query, null, source, acceptIp.nextBoolean());
            assertThat(r.infoHash().bytes()).hasSize(20);
            assertThat(r.peerId()).hasSize(20);
            assertThat(r.port()).isBetween(1, 65535);
            assertThat(r.numwant()).isBetween(0, AnnounceRequest.MAX_NUMWANT);
        }, refused -> assertThat(refused.getMessage()).isNotBlank());
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }
}
