package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeEncoder;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;

/**
 * The tracker goes away in the middle of a download. A tiny tracker we control lists one seeder
 * and asks for a re-announce every second; the seeder (a scripted peer) serves the first pieces,
 * then holds back until the tracker is down. The download must finish from the peer it already
 * has, and the failed announces must be retried with back-off: a handful in several seconds,
 * not a tight loop, with the {@code completed} event kept for when the tracker is back.
 */
@Timeout(60)
class TrackerOutageTest {
    private static final int PIECES = 24;
    private static final int SERVED_BEFORE_OUTAGE = 6;

    @TempDir
    Path tmp;

    private HttpServer tracker;
    private ServerSocket seeder;
    private volatile boolean trackerUp = true;
    private volatile long downSince;
    /** Query strings of announces that arrived while the tracker was down. */
    private final List<String> failedAnnounces = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final CountDownLatch outage = new CountDownLatch(1);

    @AfterEach
    void stop() throws IOException {
        if (tracker != null) {
            tracker.stop(0);
        }
        if (seeder != null) {
            seeder.close();
        }
    }

    @Test
    void aDownloadWithPeersOutlivesItsTrackerAndReannouncesWithBackOff() throws Exception {
        byte[] data = SwarmIT.bytes(new Random(31), PIECES * 16384 - 100);
        Path src = tmp.resolve("src.bin");
        Files.write(src, data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(src).pieceLength(16384).build(n -> { }));
        int seederPort = scriptedSeeder(meta, data);
        int trackerPort = fakeTracker(seederPort);

        Path out = tmp.resolve("out");
        SessionOptions options = SessionOptions.of(out).withBind(InetAddress.getByName("127.0.0.1")).withPort(0)
                .withTrackers(List.of("http://127.0.0.1:" + trackerPort + "/announce"));
        try (TorrentSession leecher = TorrentSession.start(meta, options)) {
            Eventually.within(Duration.ofSeconds(10), () -> leecher.status().piecesDone() >= SERVED_BEFORE_OUTAGE);
            assertThat(leecher.status().piecesDone()).as("pieces before the outage").isEqualTo(SERVED_BEFORE_OUTAGE);
            assertThat(answered.get()).as("announces answered while up").isPositive();
            downSince = System.nanoTime();
            trackerUp = false;
            outage.countDown(); // the seeder serves the rest now

            assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).as("finished without the tracker").isTrue();
            long watched = TimeUnit.SECONDS.toNanos(8);
            // on purpose: the failed announces are counted over a fixed window
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(downSince + watched - System.nanoTime())));
            List<String> failed = List.copyOf(failedAnnounces);
            System.out.println("announces in the 8 s after the tracker went down: " + failed.size());
            assertThat(failed).as("retried").hasSizeGreaterThanOrEqualTo(2);
            assertThat(failed).as("with back-off, not a loop").hasSizeLessThanOrEqualTo(5);
            assertThat(failed).as("the completed event waits for the tracker").anyMatch(q -> q.contains("event=completed"));
            assertThat(leecher.status().trackerError()).as("the user can see why").isPresent();
        }
        assertThat(Files.readAllBytes(out.resolve("src.bin"))).isEqualTo(data);
    }

    /** BEP 3 tracker: while up, one compact peer (BEP 23) and interval 1 s; then 503 for everything. */
    private int fakeTracker(int seederPort) throws IOException {
        tracker = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        tracker.createContext("/announce", exchange -> {
            try (exchange) {
                if (!trackerUp) {
                    failedAnnounces.add(exchange.getRequestURI().getRawQuery());
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                byte[] peer = ByteBuffer.allocate(6).put(new byte[] {127, 0, 0, 1}).putShort((short) seederPort).array();
                byte[] body = BencodeEncoder.encode(BDict.builder().put("interval", 1).put("peers", peer).build());
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                answered.incrementAndGet();
            }
        });
        tracker.start();
        return tracker.getAddress().getPort();
    }

    /** An honest seeder on a raw socket that waits for the outage after serving a few pieces. */
    private int scriptedSeeder(Metainfo meta, byte[] data) throws IOException {
        seeder = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            while (!seeder.isClosed()) {
                try {
                    Socket s = seeder.accept();
                    Thread.ofVirtual().start(() -> serve(s, meta, data));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return seeder.getLocalPort();
    }

    private void serve(Socket s, Metainfo meta, byte[] data) {
        try (s) {
            ScriptedSeeder peer = ScriptedSeeder.greet(s, meta);
            DataInputStream in = peer.in();
            DataOutputStream out = peer.out();
            MessageCodec codec = peer.codec();
            int served = 0;
            while (true) {
                if (codec.read(in) instanceof Message.Request r) {
                    if (served++ >= SERVED_BEFORE_OUTAGE) {
                        outage.await(); // one block per piece: exactly that many pieces before the outage
                    }
                    byte[] block = new byte[r.length()];
                    System.arraycopy(data, r.index() * 16384 + r.begin(), block, 0, r.length());
                    codec.write(out, new Message.Piece(r.index(), r.begin(), block));
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the leecher is done with us
        }
    }
}
