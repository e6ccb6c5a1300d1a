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

    @Test
    void seederOpensWithHaveAllAndRejectsRequestsWhileChoking() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        Metainfo meta = torrent(seed, SwarmIT.bytes(new Random(6), 5 * PIECE + 100));
        try (TorrentSession seeder = TorrentSession.start(meta, SessionOptions.of(seed)
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false));
             Socket s = new Socket(InetAddress.getByName("127.0.0.1"), seeder.port())) {
            s.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            handshake(meta, true).write(out);
            out.flush();
            assertThat(Handshake.read(in).supportsFast()).as("fast bit in the seeder's handshake").isTrue();
            MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
            assertThat(next(codec, in)).as("a seed opens with have all, not a bitfield").isEqualTo(new Message.HaveAll());
            // Not interested, so certainly choked: BEP 3 dropped this silently, BEP 6 rejects it.
            codec.write(out, new Message.Request(2, 16384, 16384));
            codec.write(out, new Message.Request(5, 0, 100));
            out.flush();
            assertThat(next(codec, in)).isEqualTo(new Message.Reject(2, 16384, 16384));
            assertThat(next(codec, in)).isEqualTo(new Message.Reject(5, 0, 100));
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
        Metainfo meta = torrent(seed, SwarmIT.bytes(new Random(10), 160 * PIECE));
        try (TorrentSession seeder = TorrentSession.start(meta, SessionOptions.of(seed)
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false));
             Socket s = new Socket()) {
            s.setReceiveBufferSize(16384); // so the seeder's queue backs up while we do not read
            s.connect(new InetSocketAddress("127.0.0.1", seeder.port()));
            s.setSoTimeout(15_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            handshake(meta, true).write(out);
            MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
            codec.write(out, new Message.HaveNone());
            codec.write(out, new Message.Interested());
            out.flush();
            Handshake.read(in);
            while (!(next(codec, in) instanceof Message.Unchoke)) {
                // have all first
            }
            List<Message.Request> asked = new ArrayList<>();
            for (int p = 0; p < 160; p++) {
                for (int b = 0; b < 4; b++) {
                    asked.add(new Message.Request(p, b * 16384, 16384));
                }
            }
            // All 640 requests (10 MiB, more than socket buffers hold), then a cancel for each: most are still queued.
            for (Message.Request r : asked) {
                codec.write(out, r);
            }
            out.flush();
            Thread.sleep(500);
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            DataOutputStream b = new DataOutputStream(burst);
            for (Message.Request r : asked) {
                codec.write(b, new Message.Cancel(r.index(), r.begin(), r.length()));
            }
            out.write(burst.toByteArray());
            out.flush();
            Set<Message.Request> answered = new HashSet<>();
            int rejects = 0;
            while (answered.size() < asked.size()) {
                Message m = next(codec, in);
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
        try (TorrentSession seeder = TorrentSession.start(meta, SessionOptions.of(seed)
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false));
             Socket s = new Socket(InetAddress.getByName("127.0.0.1"), seeder.port())) {
            s.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            handshake(meta, false).write(out);
            out.flush();
            Handshake.read(in);
            MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
            assertThat(next(codec, in)).isInstanceOf(Message.Bitfield.class);
            codec.write(out, new Message.HaveAll()); // not negotiated: a protocol error, the seeder hangs up
            out.flush();
            assertThatThrownBy(() -> next(codec, in)).isInstanceOf(IOException.class);
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
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    Handshake.read(in);
                    handshake(meta, true).write(out);
                    MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
                    codec.write(out, new Message.HaveAll());
                    codec.write(out, new Message.Unchoke());
                    out.flush();
                    while (true) {
                        Message m = next(codec, in);
                        if (!leecherOpened.isDone()) {
                            leecherOpened.complete(m);
                        }
                        if (!(m instanceof Message.Request r)) {
                            continue;
                        }
                        if (rejected.size() < 5 && !rejected.contains(r)) {
                            rejected.add(r); // the first five requests: refused
                            codec.write(out, new Message.Reject(r.index(), r.begin(), r.length()));
                        } else {
                            if (rejected.contains(r)) {
                                servedAfterReject.add(r);
                            }
                            byte[] block = new byte[r.length()];
                            System.arraycopy(data, r.index() * PIECE + r.begin(), block, 0, r.length());
                            codec.write(out, new Message.Piece(r.index(), r.begin(), block));
                        }
                        out.flush();
                    }
                } catch (IOException e) {
                    // the leecher hung up once complete
                }
            });
            Path dl = tmp.resolve("dl");
            try (TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(dl)
                    .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false)
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", server.getLocalPort()))))) {
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
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    Handshake.read(in);
                    handshake(meta, true).write(out);
                    MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
                    codec.write(out, new Message.HaveAll());
                    codec.write(out, new Message.Unchoke());
                    out.flush();
                    // Its first batch of requests (at most 16 of the 48 blocks), until it goes quiet.
                    Set<Message> asked = new HashSet<>();
                    s.setSoTimeout(1500);
                    try {
                        while (true) {
                            asked.add(next(codec, in));
                        }
                    } catch (java.net.SocketTimeoutException quiet) {
                        s.setSoTimeout(10_000);
                    }
                    Message.Request never = null;
                    for (int i = 0; never == null; i++) {
                        Message.Request c = new Message.Request(i / 4, (i % 4) * 16384, 16384);
                        never = asked.contains(c) ? null : c;
                    }
                    codec.write(out, new Message.Reject(never.index(), never.begin(), never.length()));
                    out.flush();
                    while (true) {
                        next(codec, in);
                    }
                } catch (IOException e) {
                    hungUp.complete(true);
                }
            });
            try (TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(tmp.resolve("dl"))
                    .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false)
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", server.getLocalPort()))))) {
                assertThat(hungUp.get(10, TimeUnit.SECONDS)).as("leecher closed the connection").isTrue();
            }
        }
    }
}
