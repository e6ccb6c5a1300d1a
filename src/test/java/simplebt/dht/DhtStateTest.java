package simplebt.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, the peer store, the rate limit, BEP 42 ids and the saved table. */
class DhtStateTest {
    private final AtomicLong now = new AtomicLong(5_000_000);
    private final Random random = new Random(7);

    @TempDir
    Path dir;

    @Test
    void aTokenIsValidForItsAddressUntilTheSecretHasRotatedTwice() throws Exception {
        Tokens tokens = new Tokens(now::get);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        byte[] token = tokens.issue(a);
        assertThat(tokens.valid(token, a)).isTrue();
        assertThat(tokens.valid(token, b)).as("another address").isFalse();
        now.addAndGet(Tokens.ROTATE_MILLIS);
        assertThat(tokens.valid(token, a)).as("previous secret still accepted").isTrue();
        assertThat(tokens.issue(a)).isNotEqualTo(token);
        now.addAndGet(Tokens.ROTATE_MILLIS);
        assertThat(tokens.valid(token, a)).as("two rotations later").isFalse();
        byte[] fresh = tokens.issue(a);
        now.addAndGet(3 * Tokens.ROTATE_MILLIS); // a long silence: both secrets are replaced
        assertThat(tokens.valid(fresh, a)).isFalse();
    }

    @Test
    void thePeerStoreIsBoundedPerInfoHashAndInTotalAndForgetsAfter30Minutes() {
        PeerStore store = new PeerStore(3, 5, now::get);
        NodeId h1 = NodeId.random(random);
        NodeId h2 = NodeId.random(random);
        for (int i = 1; i <= 4; i++) {
            store.add(h1, new InetSocketAddress("10.0.0." + i, 6881));
        }
        assertThat(store.get(h1, 10, random)).hasSize(3).doesNotContain(new InetSocketAddress("10.0.0.1", 6881));
        for (int i = 1; i <= 4; i++) {
            store.add(h2, new InetSocketAddress("10.0.1." + i, 6881));
        }
        assertThat(store.size()).isEqualTo(5);
        assertThat(store.get(h1, 2, random)).hasSize(2);
        now.addAndGet(PeerStore.TTL_MILLIS - 1);
        store.add(h1, new InetSocketAddress("10.0.0.9", 1)); // 10.0.0.9 is fresh, the rest expire next
        now.addAndGet(1);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.get(h2, 10, random)).isEmpty();
    }

    @Test
    void theRateLimitDropsAFloodFromOneAddressButAnswersOthers() throws Exception {
        QueryRateLimit limit = new QueryRateLimit(5, 100, 2, now::get);
        InetAddress flood = InetAddress.getByName("10.9.9.9");
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += limit.allow(flood) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(10); // a two-second burst
        assertThat(limit.allow(InetAddress.getByName("10.1.1.1"))).isTrue();
        now.addAndGet(1000);
        allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += limit.allow(flood) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
    }

    @Test
    void bep42IdsMatchTheSpecVectorsAndLoopbackIsExempt() throws Exception {
        // BEP 42 test vector: 124.31.75.21 with r = 1 gives an id starting 5fbfbd (21 bits) and ending 01
        InetAddress ip = InetAddress.getByName("124.31.75.21");
        byte[] id = new byte[20];
        new Random(1).nextBytes(id);
        id[0] = 0x5f;
        id[1] = (byte) 0xbf;
        id[2] = (byte) 0xbd;
        id[19] = 1;
        assertThat(Bep42.valid(new NodeId(id), ip)).isTrue();
        id[1] ^= 1;
        assertThat(Bep42.valid(new NodeId(id), ip)).isFalse();
        for (int i = 0; i < 20; i++) {
            NodeId generated = Bep42.idFor(ip, random);
            assertThat(Bep42.valid(generated, ip)).isTrue();
            assertThat(Bep42.valid(generated, InetAddress.getByName("21.75.31.124"))).isFalse();
        }
        byte[] other = HexFormat.of().parseHex("a5d43220bc8f112a3d426c84764f8c2a1150e616"); // BEP 42's vector for 65.23.51.170
        assertThat(Bep42.valid(new NodeId(other), InetAddress.getByName("65.23.51.170"))).isTrue();
        assertThat(Bep42.valid(NodeId.random(random), InetAddress.getLoopbackAddress())).isTrue();
        assertThat(Bep42.valid(NodeId.random(random), InetAddress.getByName("192.168.1.5"))).isTrue();
    }

    @Test
    void theTableIsSavedAtomicallyAndLoadedBack() throws Exception {
        NodeId self = NodeId.random(random);
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            nodes.add(new NodeInfo(NodeId.random(random), new InetSocketAddress("127.0.0." + (i + 1), 7000 + i)));
        }
        Path file = dir.resolve("cfg").resolve(TableFile.NAME);
        TableFile.save(file, self, nodes, InetAddress.getByName("124.31.75.21"));
        assertThat(Files.list(file.getParent())).containsExactly(file); // no temporary file left behind
        TableFile.Saved saved = TableFile.load(file).orElseThrow();
        assertThat(saved.id()).isEqualTo(self);
        assertThat(saved.nodes()).isEqualTo(nodes);
        assertThat(saved.ip()).isEqualTo(InetAddress.getByName("124.31.75.21"));
        Files.writeString(file, "d2:id3:abce");
        assertThat(TableFile.load(file)).isEmpty();
        assertThat(TableFile.load(dir.resolve("none"))).isEmpty();
    }
}
