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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
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
 * Issue 14: we stayed interested in a peer that keeps us choked once it had nothing we still
 * need (interest was only re-checked while the peer unchoked us, or when the whole torrent was
 * done). A choking peer holds pieces 0 and 1 only; an honest seeder serves every piece but the
 * last, so the download stays unfinished. Once 0 and 1 are verified, the choking peer must get
 * NOT_INTERESTED (BEP 3).
 */
@Timeout(60)
class NotInterestedTest {
    private static final int PIECES = 8;

    @TempDir
    Path tmp;

    private final java.util.List<ServerSocket> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What the choking peer received, in order: "interested", "not interested". */
    private final BlockingQueue<String> interest = new ArrayBlockingQueue<>(16);

    @AfterEach
    void stop() throws IOException {
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    private ServerSocket listen() throws IOException {
        ServerSocket s = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        servers.add(s);
        return s;
    }

    private void serveEach(ServerSocket server, java.util.function.Consumer<Socket> serve) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve.accept(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Has pieces 0 and 1, never unchokes; reports our interest. */
    private void chokingPeer(Socket s, Metainfo meta) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Handshake.read(in);
            Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
            MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
            codec.write(out, new Message.Bitfield(Bitfield.parse("**" + " ".repeat(PIECES - 2)).toBytes()));
            out.flush();
            while (true) {
                switch (codec.read(in)) {
                    case Message.Interested i -> interest.add("interested");
                    case Message.NotInterested n -> interest.add("not interested");
                    default -> { }
                }
            }
        } catch (IOException e) {
            // the leecher hung up, or the test ended
        }
    }

    /** Serves every piece but the last, which it holds back so the download never finishes. */
    private static void seederWithoutTheLastPiece(Socket s, Metainfo meta, byte[] data) {
        try (s) {
            ScriptedSeeder peer = ScriptedSeeder.greet(s, meta);
            int pieceLength = (int) meta.info().pieceLength();
            while (true) {
                if (peer.codec().read(peer.in()) instanceof Message.Request r && r.index() != PIECES - 1) {
                    byte[] block = new byte[r.length()];
                    System.arraycopy(data, r.index() * pieceLength + r.begin(), block, 0, r.length());
                    peer.codec().write(peer.out(), new Message.Piece(r.index(), r.begin(), block));
                    peer.out().flush();
                }
            }
        } catch (IOException e) {
            // the leecher hung up, or the test ended
        }
    }

    @Test
    void aChokingPeerWithNothingLeftThatWeNeedGetsNotInterested() throws Exception {
        byte[] data = SwarmIT.bytes(new Random(23), PIECES * 16384 - 10);
        Path src = tmp.resolve("src.bin");
        Files.write(src, data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(src).pieceLength(16384).build(n -> { }));
        ServerSocket choking = listen();
        serveEach(choking, s -> chokingPeer(s, meta));
        ServerSocket seeder = listen();
        CountDownLatch interestedFirst = new CountDownLatch(1);
        serveEach(seeder, s -> {
            try {
                interestedFirst.await(); // the leecher sees the choking peer's pieces before it has any
            } catch (InterruptedException e) {
                return;
            }
            seederWithoutTheLastPiece(s, meta, data);
        });
        try (TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(tmp.resolve("out"))
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false)
                .withPeers(List.of(new InetSocketAddress("127.0.0.1", choking.getLocalPort()),
                        new InetSocketAddress("127.0.0.1", seeder.getLocalPort()))))) {
            assertThat(interest.poll(20, TimeUnit.SECONDS)).isEqualTo("interested");
            interestedFirst.countDown();
            Eventually.within(Duration.ofSeconds(10), () -> leecher.status().piecesDone() >= PIECES - 1);
            assertThat(leecher.status().piecesDone()).as("all but the held-back piece").isEqualTo(PIECES - 1);
            assertThat(interest.poll(10, TimeUnit.SECONDS)).as("told once pieces 0 and 1 are ours")
                    .isEqualTo("not interested");
            assertThat(leecher.status().complete()).isFalse();
        }
    }
}
