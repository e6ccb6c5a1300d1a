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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;

/**
 * A scripted hostile peer (raw BEP 3 on a socket) next to an honest seeder. The leecher first
 * knows only the hostile peer (the honest seeder's port is reserved but not yet open), so the
 * hostile peer is asked for blocks; once it has misbehaved and the leecher has dropped it, the
 * seeder starts and the download must complete with the right bytes from it alone. Bans are by
 * address, so the hostile peer lives on 127.0.0.2 and the honest ones on 127.0.0.1.
 */
@Timeout(60)
class BadPeerTest {
    @TempDir
    Path tmp;

    private ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch misbehaved = new CountDownLatch(1);
    private final CountDownLatch closedByLeecher = new CountDownLatch(1);

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** What the hostile peer does once the leecher has sent its first request. */
    private interface Script {
        void run(Message.Request first, DataInputStream in, DataOutputStream out, MessageCodec codec) throws IOException;
    }

    private byte[] data;
    private final byte[] hostileId = Handshake.newPeerId();
    /** Runs once the hostile peer was dropped, before the honest seeder starts. */
    private java.util.function.Consumer<TorrentSession> afterDrop = s -> { };

    private Metainfo torrent(int pieceLength) throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        data = SwarmIT.bytes(new Random(13), 40 * 16384 + 777);
        Files.write(seed.resolve("f.bin"), data);
        return Metainfo.parse(new TorrentBuilder(seed.resolve("f.bin")).pieceLength(pieceLength).build(n -> { }));
    }

    private static final String HOSTILE_IP = "127.0.0.2";

    /** A peer that claims to have everything, unchokes, and follows the script. */
    private int hostilePeer(Metainfo meta, Script script) throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getByName(HOSTILE_IP));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s, meta, script));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private void serve(Socket s, Metainfo meta, Script script) {
        try (s) {
            ScriptedSeeder peer = ScriptedSeeder.greet(s, meta, hostileId);
            DataInputStream in = peer.in();
            DataOutputStream out = peer.out();
            MessageCodec codec = peer.codec();
            while (true) {
                if (codec.read(in) instanceof Message.Request r) {
                    requested.countDown();
                    script.run(r, in, out, codec);
                    out.flush();
                    misbehaved.countDown();
                    break;
                }
            }
            while (true) {
                codec.read(in);
            }
        } catch (IOException e) {
            closedByLeecher.countDown(); // EOF or reset: the leecher hung up (or we did, mid-piece)
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

    private void runAgainst(int pieceLength, Script script) throws Exception {
        runAgainst(pieceLength, script, Duration.ZERO);
    }

    private void runAgainst(int pieceLength, Script script, Duration beforeSeeder) throws Exception {
        Metainfo meta = torrent(pieceLength);
        int hostile = hostilePeer(meta, script);
        int seederPort = freePort();
        Path out = tmp.resolve("out");
        try (TorrentSession leecher = TorrentSession.start(meta, local(out).withPeers(List.of(
                new InetSocketAddress(HOSTILE_IP, hostile), new InetSocketAddress("127.0.0.1", seederPort))))) {
            assertThat(requested.await(20, TimeUnit.SECONDS)).as("hostile peer asked for blocks").isTrue();
            assertThat(misbehaved.await(20, TimeUnit.SECONDS)).as("script ran").isTrue();
            assertThat(closedByLeecher.await(20, TimeUnit.SECONDS)).as("connection closed").isTrue();
            afterDrop.accept(leecher);
            Thread.sleep(beforeSeeder.toMillis()); // time for the dialer to retry (back-off 1 s, 2 s)
            try (TorrentSession seeder = TorrentSession.start(meta, local(tmp.resolve("seed")).withPort(seederPort))) {
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(40))).isTrue();
            }
        }
        assertThat(Files.readAllBytes(out.resolve("f.bin"))).isEqualTo(data);
    }

    @Test
    void aLiarIsBannedAndItsPieceIsFetchedAgainFromAnHonestPeer() throws Exception {
        afterDrop = this::assertRefusedAsBanned;
        runAgainst(16384, (r, in, out, codec) -> {
            byte[] wrong = new byte[r.length()];
            new Random(1).nextBytes(wrong);
            codec.write(out, new Message.Piece(r.index(), r.begin(), wrong));
        }, Duration.ofSeconds(4));
        // Dialed peers are retried with back-off; a banned one never again.
        assertThat(connections.get()).as("connections from the leecher to the liar").isEqualTo(1);
    }

    @Test
    void garbageBytesCloseTheConnection() throws Exception {
        runAgainst(16384, (r, in, out, codec) -> {
            out.writeInt(5);
            out.writeByte(77); // unknown id with a payload that is then random noise
            byte[] noise = new byte[20_000];
            new Random(2).nextBytes(noise);
            noise[0] = 0x7f; // a frame length over any limit
            out.write(noise);
        });
    }

    @Test
    void anOversizedFrameClosesTheConnection() throws Exception {
        runAgainst(16384, (r, in, out, codec) -> {
            out.writeInt(64 << 20);
            out.writeByte(Message.PIECE);
        });
    }

    @Test
    void anOutOfRangeRequestClosesTheConnection() throws Exception {
        runAgainst(16384, (r, in, out, codec) -> {
            out.writeInt(13);
            out.writeByte(Message.REQUEST);
            out.writeInt(1000); // there are only 41 pieces
            out.writeInt(0);
            out.writeInt(16384);
        });
    }

    @Test
    void aPeerThatHangsUpMidPieceGivesItsRequestsBack() throws Exception {
        runAgainst(65536, (r, in, out, codec) -> {
            // Half a block of a piece message, then hang up (the socket closes as serve() returns).
            out.writeInt(9 + r.length());
            out.writeByte(Message.PIECE);
            out.writeInt(r.index());
            out.writeInt(r.begin());
            out.write(new byte[r.length() / 2]);
            out.flush();
            misbehaved.countDown();
            throw new IOException("hanging up mid-piece");
        });
    }

    /** The banned peer calls the leecher back under the same peer id: refused right after the handshake. */
    private void assertRefusedAsBanned(TorrentSession leecher) {
        assertRefusedAsBanned(leecher, hostileId);
    }

    /** The banned peer calls the leecher back from its address under {@code peerId}: refused before any message. */
    private static void assertRefusedAsBanned(TorrentSession leecher, byte[] peerId) {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), leecher.port(), InetAddress.getByName(HOSTILE_IP), 0)) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Handshake.ours(leecher.infoHash(), peerId).write(out);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            try {
                Handshake.read(in);
                assertThat(in.read()).as("leecher hangs up on a banned peer before any message").isEqualTo(-1);
            } catch (java.io.EOFException | java.net.SocketException e) {
                // hung up even before its handshake: refused all the same
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Issue 14: a banned peer came back under a fresh peer id; the ban is by address now. */
    @Test
    void aBannedPeerIsRefusedUnderANewPeerIdToo() throws Exception {
        afterDrop = leecher -> assertRefusedAsBanned(leecher, Handshake.newPeerId());
        runAgainst(16384, (r, in, out, codec) -> {
            byte[] wrong = new byte[r.length()];
            new Random(3).nextBytes(wrong);
            codec.write(out, new Message.Piece(r.index(), r.begin(), wrong));
        }, Duration.ofSeconds(2));
    }

    /**
     * Issue 14: a liar that sends one bad block of a 4-block piece and hangs up before the piece
     * is checked. The piece fails with two senders (the liar, gone, and the honest seeder), so
     * the liar is only found once the piece verifies; its identity used to be looked up through
     * its connection, which was gone, so it was never banned and was dialed again and again.
     */
    @Test
    void aLiarThatLeavesBeforeItsPieceIsCheckedIsStillBanned() throws Exception {
        Metainfo meta = torrent(65536);
        int liar = hostilePeer(meta, (r, in, out, codec) -> {
            codec.write(out, new Message.Piece(r.index(), r.begin(), new byte[r.length()]));
            out.flush();
            throw new IOException("hanging up before the piece is checked");
        });
        int seederPort = freePort();
        Path out = tmp.resolve("out");
        try (TorrentSession leecher = TorrentSession.start(meta, local(out).withPeers(List.of(
                new InetSocketAddress(HOSTILE_IP, liar), new InetSocketAddress("127.0.0.1", seederPort))))) {
            assertThat(closedByLeecher.await(20, TimeUnit.SECONDS)).as("the liar hung up").isTrue();
            try (TorrentSession seeder = TorrentSession.start(meta, local(tmp.resolve("seed")).withPort(seederPort))) {
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(40))).isTrue();
            }
            assertRefusedAsBanned(leecher, Handshake.newPeerId());
        }
        assertThat(Files.readAllBytes(out.resolve("f.bin"))).isEqualTo(data);
    }

    /**
     * Liar and honest seeder at once, with 4 blocks per piece: pieces get blocks from both. The
     * honest seeder must not be banned with the liar (else the download could not finish), and
     * the liar is found by comparing its blocks with the piece once it verifies.
     */
    @Test
    void whenSeveralPeersSentAFailedPieceOnlyTheLiarIsBanned() throws Exception {
        Metainfo meta = torrent(65536);
        int liar = hostilePeer(meta, (r, in, out, codec) -> {
            while (true) { // lie about every block, forever
                codec.write(out, new Message.Piece(r.index(), r.begin(), new byte[r.length()]));
                out.flush();
                misbehaved.countDown();
                do {
                    r = codec.read(in) instanceof Message.Request next ? next : null;
                } while (r == null);
            }
        });
        Path out = tmp.resolve("out");
        try (TorrentSession seeder = TorrentSession.start(meta, local(tmp.resolve("seed")));
             TorrentSession leecher = TorrentSession.start(meta, local(out).withPeers(List.of(
                     new InetSocketAddress(HOSTILE_IP, liar), new InetSocketAddress("127.0.0.1", seeder.port()))))) {
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(40))).isTrue();
            if (misbehaved.getCount() == 0) {
                assertRefusedAsBanned(leecher);
            }
        }
        assertThat(Files.readAllBytes(out.resolve("f.bin"))).isEqualTo(data);
    }
}
