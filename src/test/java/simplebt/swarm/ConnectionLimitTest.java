package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * The per-torrent connection limit keeps the better peers: a seeder limited to two connections
 * has a useless peer (no interest either way) and a downloading one; a newcomer replaces the
 * useless one, not the downloader. When no peer is useless (the newcomer's grace period
 * protects it too), the next newcomer is refused.
 */
@Timeout(60)
class ConnectionLimitTest {
    private static final Duration GRACE = Duration.ofSeconds(3);

    @TempDir
    Path tmp;

    /** A raw BEP 3 peer that has nothing; it reads what the seeder sends on its own thread. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;
        final MessageCodec codec;
        final AtomicBoolean closedBySeeder = new AtomicBoolean();
        final AtomicInteger pieces = new AtomicInteger();
        volatile boolean unchoked;

        Raw(int port, Metainfo meta) throws IOException {
            socket = new Socket(InetAddress.getByName("127.0.0.1"), port);
            socket.setSoTimeout(20_000);
            in = new DataInputStream(socket.getInputStream());
            out = new DataOutputStream(socket.getOutputStream());
            codec = new MessageCodec(TorrentShape.of(meta.info()));
            Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
            out.flush();
            Handshake.read(in);
            Thread.ofVirtual().start(this::readAll);
        }

        private void readAll() {
            try {
                while (true) {
                    Message m = codec.read(in);
                    if (m instanceof Message.Unchoke) {
                        unchoked = true;
                    } else if (m instanceof Message.Piece) {
                        pieces.incrementAndGet();
                    }
                }
            } catch (EOFException | SocketException e) {
                closedBySeeder.set(!socket.isClosed());
            } catch (IOException e) {
                // read timeout: the test fails on its own assertions
            }
        }

        void send(Message m) throws IOException {
            codec.write(out, m);
            out.flush();
        }

        /** Waits up to 10 s for the seeder to hang up. */
        boolean hungUp() throws InterruptedException {
            return Eventually.within(Duration.ofSeconds(10), closedBySeeder::get);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aNewcomerReplacesAUselessPeerButNeverOneThatDownloads() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("seed"));
        Files.write(dir.resolve("x.bin"), SwarmIT.bytes(new Random(5), 8 * 16384 + 9));
        Metainfo meta = Metainfo.parse(new TorrentBuilder(dir.resolve("x.bin")).pieceLength(16384).build(n -> { }));
        SessionOptions options = SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0)
                .withUseTrackers(false).withMaxPeers(2);
        AtomicBoolean stop = new AtomicBoolean();
        try (TorrentSession seeder = TorrentSession.start(meta, options, new SessionTiming(Duration.ofSeconds(30), GRACE));
             Raw useless = new Raw(seeder.port(), meta);
             Raw downloader = new Raw(seeder.port(), meta)) {
            downloader.send(new Message.Interested());
            Thread.ofVirtual().start(() -> keepDownloading(downloader, stop));
            Thread.sleep(GRACE.toMillis() + 1500); // both past their grace period; one of them idle
            assertThat(downloader.pieces.get()).as("the downloader gets blocks").isPositive();

            try (Raw newcomer = new Raw(seeder.port(), meta)) {
                assertThat(useless.hungUp()).as("the useless peer made room").isTrue();
                assertThat(downloader.closedBySeeder.get()).as("the downloader is kept").isFalse();
                assertThat(newcomer.closedBySeeder.get()).as("the newcomer is in").isFalse();

                try (Raw another = new Raw(seeder.port(), meta)) {
                    assertThat(another.hungUp()).as("no useless peer left: refused").isTrue();
                }
                newcomer.send(new Message.Interested());
                assertThat(Eventually.within(Duration.ofSeconds(10), () -> newcomer.unchoked)).as("the newcomer is served").isTrue();
                assertThat(downloader.closedBySeeder.get()).isFalse();
            } finally {
                stop.set(true);
            }
        }
    }

    /** Asks for the same block again every 200 ms: a peer that keeps taking data. */
    private static void keepDownloading(Raw peer, AtomicBoolean stop) {
        try {
            while (!stop.get()) {
                if (peer.unchoked) {
                    peer.send(new Message.Request(0, 0, 16384));
                }
                Thread.sleep(200); // on purpose: a steady downloader, one request at a time
            }
        } catch (IOException | InterruptedException e) {
            // the test is over or the seeder hung up (then the assertions say so)
        }
    }
}
