package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.hardening.Mutator;
import simplebt.udptracker.UdpCodec;
import simplebt.udptracker.UdpEvent;
import simplebt.udptracker.UdpRequest;
import simplebt.udptracker.UdpResponse;

/**
 * The tracker's UDP packet path with mutated packets that carry a valid connection id, so the
 * mutations reach the announce and scrape logic (seeded; 50,000 cases, 1,000,000 with
 * -Dsimplebt.fuzz.long=true). The handler never throws: it answers with a well-formed BEP 15
 * reply carrying the request's transaction id, or drops the packet.
 */
class UdpAnnounceHandlerFuzzTest {
    private static final long SEED = 0x0d9_7a11L;
    private static final int ROUNDS = Mutator.rounds(50_000);
    private static final Mutator MUTATOR = new Mutator(new byte[] {0, 1, 2, 3, (byte) 0xff, '/', '?', '=', 'a', '%'});
    @TempDir
    Path dir;

    @Test
    void mutatedPacketsGetAWellFormedReplyOrNone() throws Exception {
        long now = 1_700_000_000_000L;
        SecureRandom random = new SecureRandom();
        Store store = new Store(dir);
        Accounts accounts = new Accounts(store, new PasswordHasher(1000, random), new LoginThrottle(() -> now), () -> now, random);
        TrackerConfig config = TrackerConfig.defaults(dir).withOpen(true);
        AnnounceService service = new AnnounceService(config, new Swarms(), new TorrentRegistry(store, () -> now, random),
                accounts, () -> now);
        ConnectionIds ids = new ConnectionIds(random, () -> now);
        UdpAnnounceHandler handler = new UdpAnnounceHandler(service, ids, config);
        InetAddress source = InetAddress.getByName("127.0.0.1");
        long cid = ids.issue(AnnounceRequest.address(source));
        byte[] hash = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> seeds = List.of(
                UdpCodec.encode(new UdpRequest.Connect(7)),
                UdpCodec.encode(new UdpRequest.Announce(cid, 7, hash, hash, 1, 2, 3, UdpEvent.STARTED, 0, 9, -1, 6881,
                        "/announce?passkey=0123456789abcdef0123456789abcdef")),
                UdpCodec.encode(new UdpRequest.Announce(cid, 7, hash, hash, 0, 0, 0, UdpEvent.COMPLETED, 0, 0, 50, 1, "/announce")),
                UdpCodec.encode(new UdpRequest.Scrape(cid, 7, List.of(hash, hash))));
        SplittableRandom r = new SplittableRandom(SEED);
        int answered = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] in = MUTATOR.mutate(seeds.get(r.nextInt(seeds.size())), r);
            try {
                byte[] reply = handler.handle(in, in.length, source);
                if (reply != null) {
                    UdpResponse decoded = UdpCodec.decodeResponse(reply, reply.length, false);
                    assertThat(decoded.transactionId()).isEqualTo(in.length >= 16 ? readInt(in, 12) : 0);
                    answered++;
                }
            } catch (Throwable t) {
                fail("round " + round + " packet " + HexFormat.of().formatHex(in) + " threw " + t, t);
            }
        }
        assertThat(answered).isBetween(1, ROUNDS);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
