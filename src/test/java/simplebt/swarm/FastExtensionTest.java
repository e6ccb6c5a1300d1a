package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * BEP 6 against scripted peers: what our seeder and leecher put on the wire once both
 * handshakes carry the fast bit (have all / have none first, a reject for every request we will
 * not serve), and what a reject from the peer does to our requests.
 */
@Timeout(60)
class FastExtensionTest {
    private static final int PIECE = 65536;

    @TempDir
    Path tmp;

    private static Metainfo torrent(Path dir, byte[] data) throws Exception {
        Files.write(dir.resolve("f.bin"), data);
        return Metainfo.parse(new TorrentBuilder(dir.resolve("f.bin")).pieceLength(PIECE).build(n -> { }));
    }

    /** The next message that is not a keep-alive or a BEP 10 extended message. */
    private static Message next(MessageCodec codec, DataInputStream in) throws IOException {
        while (true) {
            Message m = codec.read(in);
            if (!(m instanceof Message.KeepAlive) && !(m instanceof Message.Extended)) {
                return m;
            }
        }
    }

    private static Handshake handshake(Metainfo meta, boolean fast) {
        byte[] reserved = new byte[8];
        reserved[5] = 0x10;
        reserved[7] = (byte) (fast ? 0x04 : 0);
        return new Handshake(reserved, meta.infoHash(), Handshake.newPeerId());
    }

    private static TorrentSession seeder(Metainfo meta, Path dir) throws Exception {
        return TorrentSession.start(meta, SessionOptions.of(dir)
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false));
    }

    private static TorrentSession leecherOf(Metainfo meta, Path dir, ServerSocket peer) throws Exception {
        return TorrentSession.start(meta, SessionOptions.of(dir)
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false)
                .withPeers(List.of(new InetSocketAddress("127.0.0.1", peer.getLocalPort()))));
    }

    /** A scripted fast peer: one that dialed a session, or one a session dialed, past the handshakes. */
    private record RawPeer(Socket socket, DataInputStream in, DataOutputStream out, MessageCodec codec, Handshake theirs)
            implements AutoCloseable {
        static RawPeer to(TorrentSession session, Metainfo meta, boolean fast, int receiveBuffer) throws Exception {
            Socket s = new Socket();
            s.setReceiveBufferSize(receiveBuffer); // small: the session's send queue backs up while we do not read
            s.connect(new InetSocketAddress("127.0.0.1", session.port()));
            s.setSoTimeout(15_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            handshake(meta, fast).write(out);
            out.flush();
            return new RawPeer(s, in, out, new MessageCodec(TorrentShape.of(meta.info())), Handshake.read(in));
        }

        /** Accepted a session's dial: answers its handshake, then claims every piece and unchokes it. */
        static RawPeer seedTo(Socket s, Metainfo meta) throws IOException {
            s.setSoTimeout(15_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Handshake theirs = Handshake.read(in);
            handshake(meta, true).write(out);
            RawPeer peer = new RawPeer(s, in, out, new MessageCodec(TorrentShape.of(meta.info())), theirs);
            peer.send(new Message.HaveAll(), new Message.Unchoke());
            return peer;
        }

        Message next() throws IOException {
            return FastExtensionTest.next(codec, in);
        }

        void send(Message... messages) throws IOException {
            for (Message m : messages) {
                codec.write(out, m);
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void seederOpensWithHaveAllAndRejectsRequestsWhileChoking() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        Metainfo meta = torrent(seed, SwarmIT.bytes(new Random(6), 5 * PIECE + 100));
        try (TorrentSession seeder = seeder(meta, seed); RawPeer peer = RawPeer.to(seeder, meta, true, 65536)) {
            assertThat(peer.theirs().supportsFast()).as("fast bit in the seeder's handshake").isTrue();
            assertThat(peer.next()).as("a seed opens with have all, not a bitfield").isEqualTo(new Message.HaveAll());
            // Not interested, so certainly choked: BEP 3 dropped this silently, BEP 6 rejects it.
            peer.send(new Message.Request(2, 16384, 16384), new Message.Request(5, 0, 100));
            assertThat(peer.next()).isEqualTo(new Message.Reject(2, 16384, 16384));
            assertThat(peer.next()).isEqualTo(new Message.Reject(5, 0, 100));
        }
    }

    /**
     * BEP 6: every request gets exactly one answer, the block or a reject, even when cancelled.
     * Before, a cancelled request still in our queue was dropped silently and this test waited
     * for answers that never came.
     */
    @Test
    void everyRequestGetsExactlyOneAnswerEvenWhenCancelled() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        Metainfo meta = torrent(seed, SwarmIT.bytes(new Random(10), 248 * PIECE));
        try (TorrentSession seeder = seeder(meta, seed); RawPeer peer = RawPeer.to(seeder, meta, true, 16384)) {
            peer.send(new Message.HaveNone(), new Message.Interested());
            while (!(peer.next() instanceof Message.Unchoke)) {
                // have all first
            }
            List<Message.Request> asked = new ArrayList<>();
            for (int p = 0; p < 248; p++) {
                for (int b = 0; b < 4; b++) {
                    asked.add(new Message.Request(p, b * 16384, 16384));
                }
            }
            // 992 requests (under our queue limit of 1000): 15.5 MiB, more than the loopback socket
            // buffers took in any run (up to 10 MiB); then a cancel for each, while many are still queued.
            peer.send(asked.toArray(Message[]::new));
            Thread.sleep(500);
            peer.send(asked.stream().map(r -> new Message.Cancel(r.index(), r.begin(), r.length())).toArray(Message[]::new));
            // Not reading yet: the session's writer is stuck on the full socket while its reader takes
            // the cancels off the queue. Reading at once let a loaded machine drain the queue first.
            Thread.sleep(1000);
            Set<Message.Request> answered = new HashSet<>();
            int rejects = 0;
            while (answered.size() < asked.size()) {
                Message m = peer.next();
                Message.Request key = switch (m) {
                    case Message.Piece p -> new Message.Request(p.index(), p.begin(), p.block().length);
                    case Message.Reject r -> new Message.Request(r.index(), r.begin(), r.length());
                    default -> null;
                };
                if (key != null) {
                    assertThat(answered.add(key)).as("one answer only for " + key).isTrue();
                    rejects += m instanceof Message.Reject ? 1 : 0;
                }
            }
            assertThat(answered).containsExactlyInAnyOrderElementsOf(asked);
            assertThat(rejects).as("cancelled while queued: rejected").isPositive();
        }
    }

    @Test
    void withoutTheFastBitTheSeederSendsABitfieldAndRefusesFastMessages() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        Metainfo meta = torrent(seed, SwarmIT.bytes(new Random(7), 3 * PIECE));
        try (TorrentSession seeder = seeder(meta, seed); RawPeer peer = RawPeer.to(seeder, meta, false, 65536)) {
            assertThat(peer.next()).isInstanceOf(Message.Bitfield.class);
            peer.send(new Message.HaveAll()); // not negotiated: a protocol error, the seeder hangs up
            assertThatThrownBy(peer::next).isInstanceOf(IOException.class);
        }
    }

    @Test
    void rejectedBlocksGoBackToThePickerAndTheDownloadCompletes() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = SwarmIT.bytes(new Random(8), 6 * PIECE + 777);
        Metainfo meta = torrent(seed, data);
        Set<Message.Request> rejected = new HashSet<>();
        List<Message.Request> servedAfterReject = new ArrayList<>();
        CompletableFuture<Message> leecherOpened = new CompletableFuture<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread peer = Thread.ofVirtual().start(() -> {
                try (RawPeer p = RawPeer.seedTo(server.accept(), meta)) {
                    while (true) {
                        Message m = p.next();
                        if (!leecherOpened.isDone()) {
                            leecherOpened.complete(m);
                        }
                        if (!(m instanceof Message.Request r)) {
                            continue;
                        }
                        if (rejected.size() < 5 && !rejected.contains(r)) {
                            rejected.add(r); // the first five requests: refused
                            p.send(new Message.Reject(r.index(), r.begin(), r.length()));
                        } else {
                            if (rejected.contains(r)) {
                                servedAfterReject.add(r);
                            }
                            byte[] block = new byte[r.length()];
                            System.arraycopy(data, r.index() * PIECE + r.begin(), block, 0, r.length());
                            p.send(new Message.Piece(r.index(), r.begin(), block));
                        }
                    }
                } catch (IOException e) {
                    // the leecher hung up once complete
                }
            });
            Path dl = tmp.resolve("dl");
            try (TorrentSession leecher = leecherOf(meta, dl, server)) {
                assertThat(leecherOpened.get(10, TimeUnit.SECONDS)).as("an empty leecher opens with have none")
                        .isEqualTo(new Message.HaveNone());
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).isTrue();
            }
            peer.join(10_000);
            assertThat(rejected).hasSize(5);
            assertThat(servedAfterReject).as("each rejected block asked for again").containsExactlyInAnyOrderElementsOf(rejected);
            assertThat(Files.readAllBytes(dl.resolve("f.bin"))).isEqualTo(data);
        }
    }

    @Test
    void aRejectForABlockNeverRequestedEndsTheConnection() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        Metainfo meta = torrent(seed, SwarmIT.bytes(new Random(9), 12 * PIECE));
        CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> {
                try (RawPeer p = RawPeer.seedTo(server.accept(), meta)) {
                    // Its first batch of requests (at most 16 of the 48 blocks), until it goes quiet.
                    Set<Message> asked = new HashSet<>();
                    p.socket().setSoTimeout(1500);
                    try {
                        while (true) {
                            asked.add(p.next());
                        }
                    } catch (java.net.SocketTimeoutException quiet) {
                        p.socket().setSoTimeout(15_000);
                    }
                    Message.Request never = null;
                    for (int i = 0; never == null; i++) {
                        Message.Request c = new Message.Request(i / 4, (i % 4) * 16384, 16384);
                        never = asked.contains(c) ? null : c;
                    }
                    p.send(new Message.Reject(never.index(), never.begin(), never.length()));
                    while (true) {
                        p.next();
                    }
                } catch (IOException e) {
                    hungUp.complete(true);
                }
            });
            try (TorrentSession leecher = leecherOf(meta, tmp.resolve("dl"), server)) {
                assertThat(hungUp.get(10, TimeUnit.SECONDS)).as("leecher closed the connection").isTrue();
            }
        }
    }
}
