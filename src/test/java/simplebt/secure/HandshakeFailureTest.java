package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import simplebt.secure.SecureChannelException.Kind;

/** Handshakes that must fail, against real responders and hand-made peers on loopback. */
@Timeout(60)
class HandshakeFailureTest {
    @Test
    void silentPeerFailsWithinTheTimeout() throws Exception {
        // The kernel completes the TCP handshake from the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Socket socket = TestResponder.connectTo(silent.getLocalPort());
            assertThatThrownBy(() -> SecureChannel.connect(socket, Fixtures.OPEN, Duration.ofMillis(300)))
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
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(server.getLocalPort()), Fixtures.OPEN,
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
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(server.getLocalPort()), Fixtures.OPEN,
                    Duration.ofMillis(300))).isInstanceOfSatisfying(SecureChannelException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE));
            held.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void initiatorThatStopsAfterThePrefixTimesOutAtTheResponder() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN), Duration.ofMillis(300), SecureChannel.PREFIX_LENGTH);
                Socket raw = TestResponder.connectTo(responder.port())) {
            raw.getOutputStream().write(Hello.MAGIC);
            Fixtures.assertKind(responder.failure(), Kind.INCOMPLETE);
        }
    }

    @Test
    void plainHandshakeHandedToAcceptIsNotSecure() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN));
                Socket raw = TestResponder.connectTo(responder.port())) {
            raw.getOutputStream().write(Fixtures.plainHandshake(Fixtures.OPEN.infoHash(), 'A'));
            Fixtures.assertKind(responder.failure(), Kind.NOT_SECURE);
        }
    }

    @Test
    void lowOrderKeyWithAValidTagIsMalformed() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN));
                Socket raw = TestResponder.connectTo(responder.port())) {
            raw.getOutputStream().write(Hello.build(new byte[32], Fixtures.OPEN)); // u = 0
            Throwable failure = responder.failure();
            Fixtures.assertKind(failure, Kind.MALFORMED);
            assertThat(((SecureChannelException) failure).peerUntrusted()).isTrue();
        }
    }

    @Test
    void badConfirmationFromTheInitiatorIsRefused() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN));
                Socket raw = TestResponder.connectTo(responder.port())) {
            raw.getOutputStream().write(Hello.build(X25519.encode(X25519.generate().getPublic()), Fixtures.OPEN));
            raw.getInputStream().readNBytes(32 + 50); // responder's key and confirmation
            byte[] forged = new byte[50];
            forged[1] = 48; // a well-formed length, but no key to seal it with
            raw.getOutputStream().write(forged);
            Fixtures.assertKind(responder.failure(), Kind.AUTH_FAILED);
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
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(server.getLocalPort()), Fixtures.OPEN,
                    Duration.ofSeconds(5))).isInstanceOfSatisfying(SecureChannelException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.AUTH_FAILED);
                        assertThat(e.peerUntrusted()).isTrue();
                    });
            fake.join();
        }
    }

    @Test
    void wrongSwarmSecretIsRefusedByTheResponder() throws Exception {
        SwarmKey wrong = SwarmKey.withSecret(Fixtures.PRIVATE.infoHash(), Fixtures.secret(99));
        try (TestResponder responder = new TestResponder(List.of(Fixtures.PRIVATE))) {
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(responder.port()), wrong,
                    Duration.ofSeconds(5))).isInstanceOfSatisfying(SecureChannelException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.NO_ANSWER));
            Fixtures.assertKind(responder.failure(), Kind.UNKNOWN_TORRENT);
        }
    }

    @Test
    void missingSwarmSecretIsRefusedByTheResponder() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(Fixtures.PRIVATE))) {
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(responder.port()),
                    SwarmKey.open(Fixtures.PRIVATE.infoHash()), Duration.ofSeconds(5))).isInstanceOf(SecureChannelException.class);
            Fixtures.assertKind(responder.failure(), Kind.UNKNOWN_TORRENT);
        }
    }

    @Test
    void unknownInfoHashIsRefusedByTheResponder() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN, Fixtures.PRIVATE))) {
            assertThatThrownBy(() -> SecureChannel.connect(TestResponder.connectTo(responder.port()), Fixtures.OTHER,
                    Duration.ofSeconds(5))).isInstanceOf(SecureChannelException.class);
            Fixtures.assertKind(responder.failure(), Kind.UNKNOWN_TORRENT);
        }
    }
}
