package simplebt.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import simplebt.hardening.Mutator;

/** A running node on 127.0.0.1 fed hostile datagrams from raw sockets. */
class DhtNodeHostileTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final NodeId me = NodeId.random(new Random(3));
    private DhtNode node;
    private InetSocketAddress at;

    @BeforeEach
    void start() throws Exception {
        node = DhtNode.start(new DhtOptions(LOOPBACK, 0, List.of(), null, Duration.ofSeconds(1), Duration.ofMinutes(20),
                Duration.ofSeconds(30)));
        at = new InetSocketAddress(LOOPBACK, node.port());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static void send(DatagramSocket s, byte[] b, InetSocketAddress to) throws Exception {
        s.send(new DatagramPacket(b, b.length, to));
    }

    private static byte[] receive(DatagramSocket s) throws Exception {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return java.util.Arrays.copyOf(buf, p.getLength());
    }

    private KrpcMessage ask(DatagramSocket s, KrpcMessage.Query q) throws Exception {
        send(s, KrpcCodec.encode(q), at);
        return reply(s);
    }

    /** The next reply, skipping the node's own queries (it pings questionable nodes of full buckets). */
    private static KrpcMessage reply(DatagramSocket s) throws Exception {
        while (true) {
            byte[] r = receive(s);
            KrpcMessage m = KrpcCodec.decode(r, r.length);
            if (!(m instanceof KrpcMessage.Query)) {
                return m;
            }
        }
    }

    @Test
    void garbageNeverStopsTheNodeAndABadQueryGetsError203() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            s.setSoTimeout(2000);
            SplittableRandom random = new SplittableRandom(9);
            Mutator mutator = new Mutator(new byte[] {'d', 'e', 'l', 'i', ':', '2', '0'});
            byte[] seed = KrpcCodec.encode(new KrpcMessage.GetPeers(new byte[] {1, 2}, me, me));
            for (int i = 0; i < 2000; i++) {
                send(s, i % 2 == 0 ? mutator.mutate(seed, random) : mutator.randomBytes(random, 300), at);
                if (i % 100 == 0) {
                    Thread.sleep(20); // stay under the rate limit so the node's answers are what we test
                }
            }
            send(s, new byte[3000], at); // bigger than any KRPC message
            Thread.sleep(2500); // the rate limit's buckets fill again
            while (true) { // drain replies to the mutated queries
                s.setSoTimeout(200);
                try {
                    receive(s);
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
            s.setSoTimeout(2000);
            byte[] bad = "d1:ad2:idi5ee1:q4:ping1:t2:zz1:y1:qe".getBytes(StandardCharsets.US_ASCII);
            send(s, bad, at);
            byte[] reply = receive(s);
            KrpcMessage.Error e = (KrpcMessage.Error) KrpcCodec.decode(reply, reply.length);
            assertThat(e.code()).isEqualTo(203);
            assertThat(e.t()).isEqualTo("zz".getBytes(StandardCharsets.US_ASCII));
            KrpcMessage pong = ask(s, new KrpcMessage.Ping(new byte[] {7}, me));
            assertThat(pong).isInstanceOfSatisfying(KrpcMessage.Response.class, r -> assertThat(r.id()).isEqualTo(node.id()));
        }
    }

    @Test
    void repliesAreNeverMuchLargerThanTheQueryEvenForAFullSwarm() throws Exception {
        NodeId hash = NodeId.random(new Random(4));
        List<DatagramSocket> announcers = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) { // 40 peers announce (from one address, 40 ports)
                DatagramSocket a = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                a.setSoTimeout(2000);
                announcers.add(a);
                KrpcMessage.Response got = (KrpcMessage.Response) ask(a, new KrpcMessage.GetPeers(new byte[] {1}, NodeId.random(new Random(i)), hash));
                KrpcMessage ok = ask(a, new KrpcMessage.AnnouncePeer(new byte[] {2}, NodeId.random(new Random(i)), hash, 0, true, got.token()));
                assertThat(ok).isInstanceOf(KrpcMessage.Response.class);
                Thread.sleep(110); // two queries each: under 20 answers a second per address
            }
            Thread.sleep(2000); // on purpose: the rate limit's buckets fill again
            DatagramSocket s = announcers.get(0);
            byte[] query = KrpcCodec.encode(new KrpcMessage.GetPeers(new byte[] {9, 9}, me, hash));
            send(s, query, at);
            KrpcMessage.Response r = (KrpcMessage.Response) reply(s);
            byte[] reply = KrpcCodec.encode(r); // the same bytes: our encoding is canonical
            assertThat(r.values()).hasSize(QueryResponder.MAX_VALUES);
            assertThat(reply.length).as("reply %d bytes to a %d-byte query", reply.length, query.length)
                    .isLessThanOrEqualTo(6 * query.length);
            // a forged announce (wrong token) is refused
            KrpcMessage refused = ask(s, new KrpcMessage.AnnouncePeer(new byte[] {3}, me, hash, 80, false, new byte[8]));
            assertThat(refused).isInstanceOfSatisfying(KrpcMessage.Error.class, e -> assertThat(e.code()).isEqualTo(203));
        } finally {
            announcers.forEach(DatagramSocket::close);
        }
    }

    @Test
    void aFloodFromOneAddressIsAnsweredOnlyUpToTheRateLimit() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            for (int i = 0; i < 300; i++) {
                send(s, KrpcCodec.encode(new KrpcMessage.Ping(new byte[] {(byte) i, 1}, me)), at);
            }
            int replies = 0;
            s.setSoTimeout(500);
            try {
                while (true) {
                    receive(s);
                    replies++;
                }
            } catch (SocketTimeoutException done) {
                // no more
            }
            assertThat(replies).isBetween(1, 100); // a 40-query burst plus what 20/s refills meanwhile
        }
    }
}
