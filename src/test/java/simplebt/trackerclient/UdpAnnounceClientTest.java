package simplebt.trackerclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import simplebt.metainfo.InfoHash;
import simplebt.udptracker.UdpCodec;
import simplebt.udptracker.UdpRequest;
import simplebt.udptracker.UdpResponse;

/** Our UDP client against a scripted tracker on 127.0.0.1: retransmits, transaction ids, id reuse, URL data. */
class UdpAnnounceClientTest {
    private static final InfoHash HASH = InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314");
    private static final AnnounceRequest REQUEST = new AnnounceRequest(HASH,
            "-SB0001-aaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII), 6881, 1, 2, 3, AnnounceRequest.Event.STARTED, 50);
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private Stub stub;

    @AfterEach
    void stop() {
        if (stub != null) {
            stub.close();
        }
    }

    /** A UDP "tracker" that hands each request (with its number) to a script and sends what the script returns. */
    private static final class Stub implements AutoCloseable {
        final DatagramSocket socket;
        final List<UdpRequest> seen = Collections.synchronizedList(new ArrayList<>());

        Stub(BiFunction<Integer, UdpRequest, List<UdpResponse>> script) throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[2048];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        UdpRequest r = UdpCodec.decodeRequest(buf, p.getLength());
                        seen.add(r);
                        for (UdpResponse reply : script.apply(seen.size(), r)) {
                            byte[] out = UdpCodec.encode(reply);
                            socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                        }
                    } catch (SocketException e) {
                        return;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        }

        String url(String path) {
            return "udp://127.0.0.1:" + socket.getLocalPort() + path;
        }

        long count(Class<?> type) {
            synchronized (seen) {
                return seen.stream().filter(type::isInstance).count();
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** Answers like a tracker: connect gives id 42, announce one peer. */
    private static List<UdpResponse> answer(UdpRequest r) {
        return switch (r) {
            case UdpRequest.Connect c -> List.of(new UdpResponse.Connected(c.transactionId(), 42));
            case UdpRequest.Announce a -> List.of(new UdpResponse.Announced(a.transactionId(), 900, 4, 5, false,
                    new byte[] {10, 0, 0, 1, 0x1a, (byte) 0xe1}));
            case UdpRequest.Scrape s -> List.of(new UdpResponse.Scraped(s.transactionId(),
                    List.of(new UdpResponse.ScrapeCounts(5, 6, 4))));
        };
    }

    private UdpAnnounceClient client(int retransmits) {
        return new UdpAnnounceClient(Duration.ofMillis(200), retransmits, clock::get, new SplittableRandom(3));
    }

    @Test
    void announceMapsTheReplyAndSendsThePathAndQueryAsUrlData() throws Exception {
        stub = new Stub((n, r) -> answer(r));
        AnnounceResponse reply = client(0).announce(stub.url("/announce?passkey=abc"), REQUEST);
        assertThat(reply.interval()).isEqualTo(900);
        assertThat(reply.complete()).contains(5);
        assertThat(reply.incomplete()).contains(4);
        assertThat(reply.peers()).containsExactly(new InetSocketAddress("10.0.0.1", 6881));
        assertThat(reply.swarmSecret()).isEmpty();
        UdpRequest.Announce sent = (UdpRequest.Announce) stub.seen.get(1);
        assertThat(sent.connectionId()).isEqualTo(42);
        assertThat(sent.urlData()).isEqualTo("/announce?passkey=abc");
        assertThat(sent.port()).isEqualTo(6881);
        assertThat(sent.left()).isEqualTo(3);
        assertThat(client(0).scrape(stub.url("/announce"), HASH)).contains(new AnnounceClient.ScrapeResult(5, 6, 4));
    }

    @Test
    void silenceIsRetransmittedWithDoublingTimeouts() throws Exception {
        stub = new Stub((n, r) -> n <= 2 ? List.of() : answer(r)); // drops the first two connects
        long start = System.nanoTime();
        assertThat(client(2).announce(stub.url("/announce"), REQUEST).interval()).isEqualTo(900);
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(stub.count(UdpRequest.Connect.class)).isEqualTo(3);
        assertThat(waitedMillis).isGreaterThanOrEqualTo(200 + 400); // 15 * 2^n with the base scaled down
    }

    @Test
    void givesUpAfterTheLastRetransmit() throws Exception {
        stub = new Stub((n, r) -> List.of());
        assertThatThrownBy(() -> client(1).announce(stub.url("/announce"), REQUEST))
                .isInstanceOfSatisfying(AnnounceException.class, e -> assertThat(e.trackerRefused()).isFalse())
                .hasMessageContaining("did not answer within 0.6 s");
        assertThat(stub.count(UdpRequest.Connect.class)).isEqualTo(2);
    }

    @Test
    void repliesWithAnotherTransactionIdAreIgnored() throws Exception {
        stub = new Stub((n, r) -> {
            if (r instanceof UdpRequest.Announce a) {
                return List.of(new UdpResponse.Announced(a.transactionId() + 1, 111, 0, 0, false, new byte[0]),
                        answer(r).get(0));
            }
            return List.of(new UdpResponse.Connected(r.transactionId() ^ 1, 666), answer(r).get(0));
        });
        assertThat(client(0).announce(stub.url("/announce"), REQUEST).interval()).isEqualTo(900);
        assertThat(((UdpRequest.Announce) stub.seen.get(1)).connectionId()).isEqualTo(42);
    }

    @Test
    void connectionIdIsReusedForOneMinuteThenRenewed() throws Exception {
        stub = new Stub((n, r) -> answer(r));
        UdpAnnounceClient c = client(0);
        c.announce(stub.url("/announce"), REQUEST);
        clock.addAndGet(59_000);
        c.announce(stub.url("/announce"), REQUEST);
        assertThat(stub.count(UdpRequest.Connect.class)).isEqualTo(1);
        clock.addAndGet(1_000);
        c.announce(stub.url("/announce"), REQUEST);
        assertThat(stub.count(UdpRequest.Connect.class)).isEqualTo(2);
    }

    @Test
    void aRefusedCachedIdIsRenewedOnceAndTrackerErrorsAreRefusals() throws Exception {
        stub = new Stub((n, r) -> n == 3 ? List.of(new UdpResponse.Error(r.transactionId(), "bad connection id")) : answer(r));
        UdpAnnounceClient c = client(0);
        c.announce(stub.url("/announce"), REQUEST);              // connect, announce
        assertThat(c.announce(stub.url("/announce"), REQUEST).interval()).isEqualTo(900); // refused, connect, announce
        assertThat(stub.count(UdpRequest.Connect.class)).isEqualTo(2);
        stub.close();
        stub = new Stub((n, r) -> r instanceof UdpRequest.Announce ? List.of(new UdpResponse.Error(r.transactionId(),
                "this is a private tracker")) : answer(r));
        assertThatThrownBy(() -> client(0).announce(stub.url("/announce"), REQUEST))
                .isInstanceOfSatisfying(AnnounceException.class, e -> assertThat(e.trackerRefused()).isTrue())
                .hasMessage("this is a private tracker");
    }

    @Test
    void badUrlsAreClearErrors() {
        assertThatThrownBy(() -> UdpAnnounceClient.target("udp://127.0.0.1/announce")).hasMessageContaining("udp://host:port");
        assertThatThrownBy(() -> UdpAnnounceClient.target("udp://127.0.0.1:1/" + "a".repeat(1100)))
                .hasMessageContaining("longer than 1024");
        assertThat(Arrays.asList(TrackerClient.isUdp("UDP://x:1"), TrackerClient.isUdp("http://x/announce")))
                .containsExactly(true, false);
    }
}
