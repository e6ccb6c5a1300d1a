package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;

/**
 * Issue 14: blocks nobody asked for were taken, of any length. A peer spraying 1-byte
 * {@code piece} messages wrote them into started pieces (each one spoils a whole piece: 14
 * bytes of wire cost 64 KiB of download) and, since they counted as received, raised its rate
 * and its standing with the choker, and kept its requests from ever timing out. Only a block
 * requested from that peer with the requested length is taken now; junk is not counted and a
 * few of it end the connection. The spraying peer listens on 127.0.0.2 and the honest seeder,
 * started once the sprayer is gone, on 127.0.0.1.
 */
@Timeout(90)
class UnrequestedBlocksTest {
    private static final int PIECE = 65536;
    private static final int JUNK = 12;

    @TempDir
    Path tmp;

    private ServerSocket sprayer;
    private final CountDownLatch sprayed = new CountDownLatch(1);
    private final CountDownLatch closedByLeecher = new CountDownLatch(1);
    private final AtomicInteger connections = new AtomicInteger();

    @AfterEach
    void stop() throws IOException {
        if (sprayer != null) {
            sprayer.close();
        }
    }

    private int sprayingPeer(Metainfo meta) throws IOException {
        sprayer = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.2"));
        Thread.ofVirtual().start(() -> {
            while (!sprayer.isClosed()) {
                try {
                    Socket s = sprayer.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> spray(s, meta));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return sprayer.getLocalPort();
    }

    /** On the first request: 1-byte blocks, a block one byte short, and whole blocks nobody asked for. */
    private void spray(Socket s, Metainfo meta) {
        try (s) {
            ScriptedSeeder peer = ScriptedSeeder.greet(s, meta);
            DataInputStream in = peer.in();
            MessageCodec codec = peer.codec();
            Message.Request r;
            do {
                r = codec.read(in) instanceof Message.Request req ? req : null;
            } while (r == null);
            // The whole batch of requests, so that the whole-size junk below is surely a block
            // nobody asked for (the leecher asks for no more while nothing is delivered).
            java.util.Set<Long> asked = new java.util.HashSet<>();
            asked.add(key(r.index(), r.begin()));
            s.setSoTimeout(500);
            try {
                while (true) {
                    if (codec.read(in) instanceof Message.Request more) {
                        asked.add(key(more.index(), more.begin()));
                    }
                }
            } catch (java.net.SocketTimeoutException quiet) {
                s.setSoTimeout(0);
            }
            int pieces = meta.info().pieceCount();
            java.util.Iterator<Long> unasked = java.util.stream.LongStream.range(0, (long) (pieces - 1) * (PIECE / 16384))
                    .map(n -> key((int) (n / (PIECE / 16384)), (int) (n % (PIECE / 16384)) * 16384))
                    .filter(k -> !asked.contains(k)).iterator();
            for (int i = 0; i < JUNK; i++) {
                int piece = (r.index() + i) % pieces;
                long free = i % 3 == 2 ? unasked.next() : 0;
                Message.Piece junk = switch (i % 3) {
                    case 0 -> new Message.Piece(piece, 0, new byte[1]);
                    case 1 -> new Message.Piece(r.index(), r.begin(), new byte[r.length() - 1]);
                    default -> new Message.Piece((int) (free >>> 32), (int) free, new byte[16384]);
                };
                codec.write(peer.out(), junk);
            }
            peer.out().flush();
            sprayed.countDown();
            while (true) {
                codec.read(in);
            }
        } catch (IOException e) {
            closedByLeecher.countDown();
        }
    }

    private static long key(int piece, int begin) {
        return ((long) piece << 32) | begin;
    }

    @Test
    void sprayedBlocksAreNotTakenNotCountedAndEndTheConnection() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = SwarmIT.bytes(new Random(17), 12 * PIECE + 999);
        Files.write(seed.resolve("f.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seed.resolve("f.bin")).pieceLength(PIECE).build(n -> { }));
        int sprayerPort = sprayingPeer(meta);
        int seederPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            seederPort = probe.getLocalPort();
        }
        Path out = tmp.resolve("out");
        try (TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(out)
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false)
                .withPeers(List.of(new InetSocketAddress("127.0.0.2", sprayerPort), new InetSocketAddress("127.0.0.1", seederPort))))) {
            assertThat(sprayed.await(20, TimeUnit.SECONDS)).as("junk sent").isTrue();
            assertThat(closedByLeecher.await(10, TimeUnit.SECONDS)).as("closed after a few junk blocks").isTrue();
            assertThat(leecher.status().downloaded()).as("junk counted as downloaded").isZero();
            try (TorrentSession seeder = TorrentSession.start(meta, SessionOptions.of(seed)
                    .withBind(InetAddress.getByName("127.0.0.1")).withPort(seederPort).withUseTrackers(false))) {
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(40))).isTrue();
            }
            assertThat(leecher.status().downloaded()).as("bytes counted: exactly the torrent, once").isEqualTo(data.length);
        }
        assertThat(Files.readAllBytes(out.resolve("f.bin"))).isEqualTo(data);
    }
}
