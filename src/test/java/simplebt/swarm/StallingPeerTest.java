package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;

/**
 * A scripted staller (raw BEP 3 on a socket): it handshakes, claims every piece, unchokes and
 * takes requests, but never sends the blocks, or stops in the middle of one, keeping the socket
 * open. Its requests must time out and go back to the picker, it must be snubbed (one request at
 * a time) and then dropped, and the download must complete from an honest seeder.
 */
@Timeout(90)
class StallingPeerTest {
    /** One-second request timeout so three strikes take seconds, not minutes. */
    private static final SessionTiming FAST = new SessionTiming(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @TempDir
    Path tmp;

    private ServerSocket server;
    private byte[] data;
    /** Requests the staller's first connection received before the leecher hung up. */
    private final AtomicInteger firstConnectionRequests = new AtomicInteger();
    /** Cancels the staller's first connection received for requests that timed out. */
    private final AtomicInteger firstConnectionCancels = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch droppedByLeecher = new CountDownLatch(1);

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private Metainfo torrent(int pieceLength) throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        data = SwarmIT.bytes(new Random(21), 40 * 16384 + 777);
        Files.write(seed.resolve("f.bin"), data);
        return Metainfo.parse(new TorrentBuilder(seed.resolve("f.bin")).pieceLength(pieceLength).build(n -> { }));
    }

    /**
     * @param midPiece false: answer nothing, but send keep-alives (a live, silent peer); true: on
     *                 the first request send a piece header and half its block, then nothing more
     */
    private int staller(Metainfo meta, boolean midPiece) throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    boolean first = connections.incrementAndGet() == 1;
                    Thread.ofVirtual().start(() -> serve(s, meta, midPiece, first));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private void serve(Socket s, Metainfo meta, boolean midPiece, boolean first) {
        ReentrantLock writing = new ReentrantLock();
        try (s) {
            ScriptedSeeder peer = ScriptedSeeder.greet(s, meta);
            DataInputStream in = peer.in();
            DataOutputStream out = peer.out();
            MessageCodec codec = peer.codec();
            if (!midPiece) {
                Thread.ofVirtual().start(() -> keepAlives(s, out, codec, writing));
            }
            boolean sentHalf = false;
            while (true) {
                Message m = codec.read(in);
                if (m instanceof Message.Cancel && first) {
                    firstConnectionCancels.incrementAndGet();
                }
                if (m instanceof Message.Request r) {
                    if (first) {
                        firstConnectionRequests.incrementAndGet();
                    }
                    requested.countDown();
                    if (midPiece && !sentHalf) {
                        out.writeInt(9 + r.length()); // BEP 3 piece: <len=9+n><id=7><index><begin><block>
                        out.writeByte(Message.PIECE);
                        out.writeInt(r.index());
                        out.writeInt(r.begin());
                        out.write(new byte[r.length() / 2]);
                        out.flush();
                        sentHalf = true;
                    }
                }
            }
        } catch (IOException e) {
            if (first) {
                droppedByLeecher.countDown(); // EOF or reset: the leecher hung up
            }
        }
    }

    /** BEP 3 keep-alives every half second: the staller looks alive, it just never delivers. */
    private static void keepAlives(Socket s, DataOutputStream out, MessageCodec codec, ReentrantLock writing) {
        while (!s.isClosed()) {
            writing.lock();
            try {
                codec.write(out, new Message.KeepAlive());
                out.flush();
            } catch (IOException e) {
                return;
            } finally {
                writing.unlock();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false);
    }

    /**
     * The leecher first knows only the staller (the seeder's port is reserved but closed), so
     * the staller gets the whole first pipeline. The test waits until the leecher drops it, then
     * starts the honest seeder.
     */
    private void stallerFirstThenSeeder(boolean midPiece) throws Exception {
        Metainfo meta = torrent(16384);
        int stallerPort = staller(meta, midPiece);
        int seederPort = freePort();
        Path out = tmp.resolve("out");
        try (TorrentSession leecher = TorrentSession.start(meta, local(out).withPeers(List.of(
                new InetSocketAddress("127.0.0.1", stallerPort), new InetSocketAddress("127.0.0.1", seederPort))), FAST)) {
            assertThat(requested.await(20, TimeUnit.SECONDS)).as("staller asked for blocks").isTrue();
            assertThat(droppedByLeecher.await(30, TimeUnit.SECONDS)).as("leecher dropped the staller").isTrue();
            assertThat(leecher.status().verifiedBytes()).as("nothing came from the staller").isZero();
            // The first pipeline, then one probe request per timeout while snubbed, then dropped.
            assertThat(firstConnectionRequests.get()).as("requests the staller got")
                    .isBetween(1, RequestPipeline.INITIAL + RequestPipeline.MAX_TIMEOUTS - 1);
            // Issue 14: timed-out requests are cancelled on the wire, not just forgotten.
            assertThat(firstConnectionCancels.get()).as("cancels the staller got").isPositive();
            try (TorrentSession seeder = TorrentSession.start(meta, local(tmp.resolve("seed")).withPort(seederPort))) {
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(40))).isTrue();
            }
        }
        assertThat(Files.readAllBytes(out.resolve("f.bin"))).isEqualTo(data);
    }

    @Test
    void aPeerThatNeverSendsBlocksIsSnubbedThenDroppedAndOthersFinish() throws Exception {
        stallerFirstThenSeeder(false);
    }

    @Test
    void aPeerThatStopsMidPieceWithTheSocketOpenIsDroppedAndOthersFinish() throws Exception {
        stallerFirstThenSeeder(true);
    }

    /**
     * Staller and honest seeder at once, with the default 30 s request timeout: the staller's
     * requests are taken over by the seeder (end-game asks for blocks outstanding over a second),
     * so the download does not wait for the timeout, and ends with the right bytes.
     */
    @Test
    void aStallerNextToAnHonestSeederDoesNotHoldUpTheDownload() throws Exception {
        Metainfo meta = torrent(65536);
        int stallerPort = staller(meta, false);
        Path out = tmp.resolve("out");
        try (TorrentSession seeder = TorrentSession.start(meta, local(tmp.resolve("seed")));
             TorrentSession leecher = TorrentSession.start(meta, local(out).withPeers(List.of(
                     new InetSocketAddress("127.0.0.1", stallerPort), new InetSocketAddress("127.0.0.1", seeder.port()))))) {
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(20))).as("done well before the 30 s timeout").isTrue();
            assertThat(droppedByLeecher.await(10, TimeUnit.SECONDS)).as("staller dropped once we are complete").isTrue();
        }
        assertThat(Files.readAllBytes(out.resolve("f.bin"))).isEqualTo(data);
    }
}
