package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.wire.ExtensionHandshake;
import simplebt.wire.Message;

/**
 * Issue 14: request pipelines only grew. A scripted peer that offers a queue of 500 requests
 * (libtorrent's reqq) but sends one 16 KiB block every 100 ms (160 KiB/s) ended up holding a
 * hundred requests after ten seconds, and so blocks and started pieces nobody else could fetch.
 * Now it holds about three seconds of its rate (30 blocks), whatever the time.
 */
@Timeout(60)
class SlowPeerTest {
    private static final int BLOCK = 16384;
    private static final long RUN_MILLIS = 9_000;

    @TempDir
    Path tmp;

    @Test
    void aSlowPeerWithADeepQueueHoldsOnlyAFewSecondsOfItsRate() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = SwarmIT.bytes(new Random(8), 400 * BLOCK);
        Files.write(seed.resolve("f.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seed.resolve("f.bin")).pieceLength(4 * BLOCK).build(n -> { }));
        LinkedBlockingDeque<Message.Request> queued = new LinkedBlockingDeque<>();
        AtomicInteger mostHeld = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> slowPeer(server, meta, data, queued, mostHeld));
            SessionOptions options = SessionOptions.of(tmp.resolve("out")).withBind(InetAddress.getByName("127.0.0.1"))
                    .withPort(0).withUseTrackers(false)
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", server.getLocalPort())));
            try (TorrentSession leecher = TorrentSession.start(meta, options)) {
                Thread.sleep(RUN_MILLIS);
                assertThat(leecher.status().downloaded()).as("the slow peer delivers").isPositive();
            }
        }
        // Three seconds of 160 KiB/s is 30 blocks; the smoothed rate lags a little behind.
        assertThat(mostHeld.get()).as("most requests the slow peer held at once").isBetween(1, 36);
    }

    /** Serves requests in order, one block per 100 ms; a cancel takes a request out of the queue. */
    private static void slowPeer(ServerSocket server, Metainfo meta, byte[] data, LinkedBlockingDeque<Message.Request> queued,
                                 AtomicInteger mostHeld) {
        try (Socket s = server.accept()) {
            ScriptedSeeder peer = ScriptedSeeder.greet(s, meta);
            ExtensionHandshake ext = new ExtensionHandshake(Map.of(), Optional.of("slow"), Optional.empty(), Optional.of(500));
            peer.codec().write(peer.out(), new Message.Extended(0, ext.encode()));
            peer.out().flush();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        switch (peer.codec().read(peer.in())) {
                            case Message.Request r -> {
                                queued.add(r);
                                mostHeld.accumulateAndGet(queued.size(), Math::max);
                            }
                            case Message.Cancel c -> queued.remove(new Message.Request(c.index(), c.begin(), c.length()));
                            default -> { }
                        }
                    }
                } catch (IOException e) {
                    // the leecher is gone
                }
            });
            while (true) {
                Thread.sleep(100);
                Message.Request r = queued.poll();
                if (r != null) {
                    byte[] block = new byte[r.length()];
                    System.arraycopy(data, r.index() * 4 * BLOCK + r.begin(), block, 0, r.length());
                    peer.codec().write(peer.out(), new Message.Piece(r.index(), r.begin(), block));
                    peer.out().flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the test is over
        }
    }
}
