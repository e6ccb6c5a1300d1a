package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole handshakes and transfers over real loopback sockets. */
@Timeout(60)
class SecureChannelTest {
    @Test
    void bitTorrentHandshakesTravelBothWaysAndTheRightTorrentIsFound() throws Exception {
        byte[] ours = Fixtures.plainHandshake(Fixtures.PRIVATE.infoHash(), 'A');
        byte[] theirs = Fixtures.plainHandshake(Fixtures.PRIVATE.infoHash(), 'B');
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN, Fixtures.PRIVATE, Fixtures.OTHER));
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(responder.port()), Fixtures.PRIVATE,
                        Duration.ofSeconds(5))) {
            Accepted accepted = responder.accepted();
            assertThat(accepted.key()).isEqualTo(Fixtures.PRIVATE);

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
        byte[] up = Fixtures.random(5 << 20, 11);
        byte[] down = Fixtures.random(3 << 20, 12);
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN));
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(responder.port()), Fixtures.OPEN,
                        Duration.ofSeconds(5))) {
            SecureStreams accepted = responder.accepted().streams();
            CompletableFuture<Void> w1 = Fixtures.writeInChunks(initiator.out(), up, 21);
            CompletableFuture<Void> w2 = Fixtures.writeInChunks(accepted.out(), down, 22);

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
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN));
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(responder.port()), Fixtures.OPEN,
                        Duration.ofSeconds(5))) {
            SecureStreams accepted = responder.accepted().streams();
            for (int i = 0; i < 3000; i++) {
                byte[] message = Fixtures.random(1 + random.nextInt(50), i);
                initiator.out().write(message);
                initiator.out().flush(); // one record each
                sent.write(message);
            }
            initiator.out().close(); // ends the stream: the responder sees a clean end

            assertThat(accepted.in().readAllBytes()).isEqualTo(sent.toByteArray());
        }
    }

    @Test
    void looksSecureTellsOurPrefixFromAPlainHandshake() {
        byte[] hello = Hello.build(new byte[32], Fixtures.OPEN);

        assertThat(SecureChannel.PREFIX_LENGTH).isEqualTo(8);
        assertThat(hello[0]).isNotEqualTo((byte) 19);
        assertThat(SecureChannel.looksSecure(hello)).isTrue();
        assertThat(SecureChannel.looksSecure(java.util.Arrays.copyOf(hello, 8))).isTrue();
        assertThat(SecureChannel.looksSecure(Fixtures.plainHandshake(Fixtures.OPEN.infoHash(), 'A'))).isFalse();
        assertThat(SecureChannel.looksSecure(java.util.Arrays.copyOf(hello, 7))).as("too short to tell").isFalse();
        assertThat(SecureChannel.looksSecure(Fixtures.random(96, 1))).as("e.g. an MSE key").isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 40, 72})
    void acceptTakesAnyNumberOfAlreadyReadBytes(int peek) throws Exception {
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN), Duration.ofSeconds(5), peek);
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(responder.port()), Fixtures.OPEN,
                        Duration.ofSeconds(5))) {
            initiator.out().write(42);
            initiator.out().flush();
            assertThat(responder.accepted().streams().in().read()).isEqualTo(42);
        }
    }

    @Test
    void confirmationIsTheFirstRecordEachWayAndReadTimeoutIsRestored() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN));
                TamperingProxy proxy = new TamperingProxy(responder.port(), TamperingProxy.Tamper.none(),
                        TamperingProxy.Tamper.none())) {
            Socket socket = TestResponder.connectTo(proxy.port());
            socket.setSoTimeout(4321);
            try (SecureStreams initiator = SecureChannel.connect(socket, Fixtures.OPEN, Duration.ofSeconds(5))) {
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
    void wireHoldsNoInfoHashPeerIdProtocolNameOrFileBytes() throws Exception {
        byte[] handshake = Fixtures.plainHandshake(Fixtures.PRIVATE.infoHash(), 'A');
        byte[] file = Fixtures.random(100_000, 41);
        byte[] plaintext = concat(handshake, file);
        byte[][] secrets = {
            Fixtures.PRIVATE.infoHash().bytes(),
            Arrays.copyOfRange(handshake, 48, 68), // peer id
            "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII),
            Arrays.copyOfRange(file, 50_000, 50_016),
        };
        byte[] wire;
        try (TestResponder responder = new TestResponder(List.of(Fixtures.PRIVATE));
                TamperingProxy proxy = new TamperingProxy(responder.port(), TamperingProxy.Tamper.none(),
                        TamperingProxy.Tamper.none());
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(proxy.port()), Fixtures.PRIVATE,
                        Duration.ofSeconds(5))) {
            SecureStreams accepted = responder.accepted().streams();
            initiator.out().write(plaintext);
            initiator.out().flush();
            assertThat(accepted.in().readNBytes(plaintext.length)).isEqualTo(plaintext);
            accepted.out().write(plaintext);
            accepted.out().flush();
            assertThat(initiator.in().readNBytes(plaintext.length)).isEqualTo(plaintext);
            wire = concat(proxy.initiatorBytes(), proxy.responderBytes());
        }
        for (byte[] secret : secrets) {
            assertThat(indexOf(plaintext, secret)).as("control: the check can find it").isNotNegative();
            assertThat(indexOf(wire, secret)).as("found on the wire").isEqualTo(-1);
        }
    }

    @Test
    void readTimeoutLeavesTheStreamUsable() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN))) {
            Socket socket = TestResponder.connectTo(responder.port());
            try (SecureStreams initiator = SecureChannel.connect(socket, Fixtures.OPEN, Duration.ofSeconds(5))) {
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
        try (TestResponder responder = new TestResponder(List.of(Fixtures.OPEN))) {
            Socket socket = TestResponder.connectTo(responder.port());
            SecureStreams initiator = SecureChannel.connect(socket, Fixtures.OPEN, Duration.ofSeconds(5));
            InputStream peerIn = responder.accepted().streams().in();

            initiator.close();

            assertThat(socket.isClosed()).isTrue();
            assertThat(peerIn.read()).as("the peer sees a clean end").isEqualTo(-1);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
