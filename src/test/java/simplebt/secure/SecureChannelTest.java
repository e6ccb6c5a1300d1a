package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import simplebt.metainfo.InfoHash;
import simplebt.secure.SecureChannelException.Kind;

/** Whole handshakes and transfers over real loopback sockets. */
@Timeout(60)
class SecureChannelTest {
    static final SwarmKey OPEN = SwarmKey.open(hash(1));
    static final SwarmKey PRIVATE = SwarmKey.withSecret(hash(2), secret(2));
    static final SwarmKey OTHER = SwarmKey.withSecret(hash(3), secret(3));

    @Test
    void bitTorrentHandshakesTravelBothWaysAndTheRightTorrentIsFound() throws Exception {
        byte[] ours = plainHandshake(PRIVATE.infoHash(), 'A');
        byte[] theirs = plainHandshake(PRIVATE.infoHash(), 'B');
        try (TestResponder responder = new TestResponder(List.of(OPEN, PRIVATE, OTHER));
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(responder.port()), PRIVATE,
                        Duration.ofSeconds(5))) {
            Accepted accepted = responder.accepted();
            assertThat(accepted.key()).isEqualTo(PRIVATE);

            initiator.out().write(ours);
            initiator.out().flush();
            assertThat(accepted.streams().in().readNBytes(68)).isEqualTo(ours);
            accepted.streams().out().write(theirs);
            accepted.streams().out().flush();
            assertThat(initiator.in().readNBytes(68)).isEqualTo(theirs);
        }
    }

    @Test
    void largeTransfersRunBothWaysAtOnce() throws Exception {
        byte[] up = RecordStreamsTest.random(5 << 20, 11);
        byte[] down = RecordStreamsTest.random(3 << 20, 12);
        try (TestResponder responder = new TestResponder(List.of(OPEN));
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(responder.port()), OPEN,
                        Duration.ofSeconds(5))) {
            SecureStreams accepted = responder.accepted().streams();
            CompletableFuture<Void> w1 = writeInChunks(initiator.out(), up, 21);
            CompletableFuture<Void> w2 = writeInChunks(accepted.out(), down, 22);

            assertThat(accepted.in().readNBytes(up.length)).isEqualTo(up);
            assertThat(initiator.in().readNBytes(down.length)).isEqualTo(down);
            w1.get(30, TimeUnit.SECONDS);
            w2.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void manySmallFlushedMessagesArriveExactly() throws Exception {
        Random random = new Random(5);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try (TestResponder responder = new TestResponder(List.of(OPEN));
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(responder.port()), OPEN,
                        Duration.ofSeconds(5))) {
            SecureStreams accepted = responder.accepted().streams();
            for (int i = 0; i < 3000; i++) {
                byte[] message = RecordStreamsTest.random(1 + random.nextInt(50), i);
                initiator.out().write(message);
                initiator.out().flush(); // one record each
                sent.write(message);
            }
            initiator.out().close(); // ends the stream: the responder sees a clean end

            assertThat(accepted.in().readAllBytes()).isEqualTo(sent.toByteArray());
        }
    }

    @Test
    void wrongSwarmSecretIsRefusedByTheResponder() throws Exception {
        SwarmKey wrong = SwarmKey.withSecret(PRIVATE.infoHash(), secret(99));
        try (TestResponder responder = new TestResponder(List.of(PRIVATE))) {
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(responder.port()), wrong,
                    Duration.ofSeconds(5))).isInstanceOfSatisfying(SecureChannelException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.NO_ANSWER));
            assertKind(responder.failure(), Kind.UNKNOWN_TORRENT);
        }
    }

    @Test
    void missingSwarmSecretIsRefusedByTheResponder() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(PRIVATE))) {
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(responder.port()),
                    SwarmKey.open(PRIVATE.infoHash()), Duration.ofSeconds(5))).isInstanceOf(SecureChannelException.class);
            assertKind(responder.failure(), Kind.UNKNOWN_TORRENT);
        }
    }

    @Test
    void unknownInfoHashIsRefusedByTheResponder() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(OPEN, PRIVATE))) {
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(responder.port()), OTHER,
                    Duration.ofSeconds(5))).isInstanceOf(SecureChannelException.class);
            assertKind(responder.failure(), Kind.UNKNOWN_TORRENT);
        }
    }

    @Test
    void silentPeerFailsWithinTheTimeout() throws Exception {
        // The kernel completes the TCP handshake from the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Socket socket = TestResponder.connectTo(silent.getLocalPort());
            assertThatThrownBy(() -> SecureChannel.connect(socket, OPEN, Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(SecureChannelException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.NO_ANSWER);
                        assertThat(e.peerUntrusted()).isFalse();
                    });
            assertThat(socket.isClosed()).as("a failed handshake closes the socket").isTrue();
        }
    }

    @Test
    void peerThatClosesAtOnceIsNoAnswer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread closer = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().readNBytes(SecureChannel.PREFIX_LENGTH); // like a client that dislikes 'S'
                } catch (IOException ignored) {
                    // test peer
                }
            });
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(server.getLocalPort()), OPEN,
                    Duration.ofSeconds(5))).isInstanceOfSatisfying(SecureChannelException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.NO_ANSWER));
            closer.join();
        }
    }

    @Test
    void peerThatStopsMidAnswerIsIncomplete() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> held = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    Socket s = server.accept();
                    s.getOutputStream().write(new byte[10]); // 10 of the 32 key bytes, then silence
                    held.complete(s);
                } catch (IOException e) {
                    held.completeExceptionally(e);
                }
            });
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(server.getLocalPort()), OPEN,
                    Duration.ofMillis(300))).isInstanceOfSatisfying(SecureChannelException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE));
            held.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void initiatorThatStopsAfterThePrefixTimesOutAtTheResponder() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(OPEN), Duration.ofMillis(300), SecureChannel.PREFIX_LENGTH);
                Socket raw = TestResponder.connectTo(responder.port())) {
            raw.getOutputStream().write(Hello.MAGIC);
            assertKind(responder.failure(), Kind.INCOMPLETE);
        }
    }

    @Test
    void looksSecureTellsOurPrefixFromAPlainHandshake() {
        byte[] hello = Hello.build(new byte[32], OPEN);

        assertThat(SecureChannel.PREFIX_LENGTH).isEqualTo(8);
        assertThat(hello[0]).isNotEqualTo((byte) 19);
        assertThat(SecureChannel.looksSecure(hello)).isTrue();
        assertThat(SecureChannel.looksSecure(java.util.Arrays.copyOf(hello, 8))).isTrue();
        assertThat(SecureChannel.looksSecure(plainHandshake(OPEN.infoHash(), 'A'))).isFalse();
        assertThat(SecureChannel.looksSecure(java.util.Arrays.copyOf(hello, 7))).as("too short to tell").isFalse();
        assertThat(SecureChannel.looksSecure(RecordStreamsTest.random(96, 1))).as("e.g. an MSE key").isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 40, 72})
    void acceptTakesAnyNumberOfAlreadyReadBytes(int peek) throws Exception {
        try (TestResponder responder = new TestResponder(List.of(OPEN), Duration.ofSeconds(5), peek);
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(responder.port()), OPEN,
                        Duration.ofSeconds(5))) {
            initiator.out().write(42);
            initiator.out().flush();
            assertThat(responder.accepted().streams().in().read()).isEqualTo(42);
        }
    }

    @Test
    void plainHandshakeHandedToAcceptIsNotSecure() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(OPEN));
                Socket raw = TestResponder.connectTo(responder.port())) {
            raw.getOutputStream().write(plainHandshake(OPEN.infoHash(), 'A'));
            assertKind(responder.failure(), Kind.NOT_SECURE);
        }
    }

    @Test
    void lowOrderKeyWithAValidTagIsMalformed() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(OPEN));
                Socket raw = TestResponder.connectTo(responder.port())) {
            raw.getOutputStream().write(Hello.build(new byte[32], OPEN)); // u = 0
            Throwable failure = responder.failure();
            assertKind(failure, Kind.MALFORMED);
            assertThat(((SecureChannelException) failure).peerUntrusted()).isTrue();
        }
    }

    @Test
    void badConfirmationFromTheInitiatorIsRefused() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(OPEN));
                Socket raw = TestResponder.connectTo(responder.port())) {
            raw.getOutputStream().write(Hello.build(X25519.encode(X25519.generate().getPublic()), OPEN));
            raw.getInputStream().readNBytes(32 + 50); // responder's key and confirmation
            byte[] forged = new byte[50];
            forged[1] = 48; // a well-formed length, but no key to seal it with
            raw.getOutputStream().write(forged);
            assertKind(responder.failure(), Kind.AUTH_FAILED);
        }
    }

    @Test
    void badConfirmationFromTheResponderIsRefused() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread fake = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().readNBytes(Hello.LENGTH);
                    byte[] reply = new byte[32 + 50];
                    System.arraycopy(X25519.encode(X25519.generate().getPublic()), 0, reply, 0, 32);
                    reply[33] = 48;
                    s.getOutputStream().write(reply);
                    s.getInputStream().read(); // wait for the initiator to hang up
                } catch (IOException ignored) {
                    // test peer
                }
            });
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(server.getLocalPort()), OPEN,
                    Duration.ofSeconds(5))).isInstanceOfSatisfying(SecureChannelException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.AUTH_FAILED);
                        assertThat(e.peerUntrusted()).isTrue();
                    });
            fake.join();
        }
    }

    @Test
    void confirmationIsTheFirstRecordEachWayAndReadTimeoutIsRestored() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(OPEN));
                TamperingProxy proxy = new TamperingProxy(responder.port(), TamperingProxy.Tamper.none(),
                        TamperingProxy.Tamper.none())) {
            Socket socket = TestResponder.connectTo(proxy.port());
            socket.setSoTimeout(4321);
            try (SecureStreams initiator = SecureChannel.connect(socket, OPEN, Duration.ofSeconds(5))) {
                assertThat(socket.getSoTimeout()).isEqualTo(4321);
                assertThat(socket.getTcpNoDelay()).isTrue();
                responder.accepted();
                byte[] sent = proxy.initiatorBytes();
                assertThat(sent).hasSize(72 + 50); // hello, then record #0: length 0x0030 = 32 + 16
                assertThat(sent[72]).isEqualTo((byte) 0);
                assertThat(sent[73]).isEqualTo((byte) 48);
            }
        }
    }

    @Test
    void readTimeoutLeavesTheStreamUsable() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(OPEN))) {
            Socket socket = TestResponder.connectTo(responder.port());
            try (SecureStreams initiator = SecureChannel.connect(socket, OPEN, Duration.ofSeconds(5))) {
                SecureStreams accepted = responder.accepted().streams();
                socket.setSoTimeout(100); // the engine's own read deadline
                assertThatThrownBy(() -> initiator.in().read()).isInstanceOf(java.net.SocketTimeoutException.class);

                accepted.out().write(new byte[] {1, 2, 3});
                accepted.out().flush();

                assertThat(initiator.in().readNBytes(3)).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void closeClosesTheSocket() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(OPEN))) {
            Socket socket = TestResponder.connectTo(responder.port());
            SecureStreams initiator = SecureChannel.connect(socket, OPEN, Duration.ofSeconds(5));
            InputStream peerIn = responder.accepted().streams().in();

            initiator.close();

            assertThat(socket.isClosed()).isTrue();
            assertThat(peerIn.read()).as("the peer sees a clean end").isEqualTo(-1);
        }
    }

    static void assertKind(Throwable failure, Kind kind) {
        assertThat(failure).isInstanceOfSatisfying(SecureChannelException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    static CompletableFuture<Void> writeInChunks(OutputStream out, byte[] data, long seed) {
        return CompletableFuture.runAsync(() -> {
            Random random = new Random(seed);
            try {
                for (int at = 0; at < data.length;) {
                    int n = Math.min(data.length - at, 1 + random.nextInt(40_000));
                    out.write(data, at, n);
                    at += n;
                }
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    /** BEP 3: pstrlen 19, "BitTorrent protocol", 8 reserved, info hash, peer id. */
    static byte[] plainHandshake(InfoHash infoHash, char peer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(19);
        out.writeBytes("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[8]);
        out.writeBytes(infoHash.bytes());
        out.writeBytes(("-SB0001-" + String.valueOf(peer).repeat(12)).getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static InfoHash hash(int seed) {
        return new InfoHash(RecordStreamsTest.random(20, seed));
    }

    static byte[] secret(int seed) {
        return RecordStreamsTest.random(32, 1000 + seed);
    }
}
