package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import simplebt.secure.PeerSecurityMemory.Plan;
import simplebt.secure.SecureChannelException.Kind;

/** The preferred/required/off connection policy against our responder and fake standard clients. */
@Timeout(60)
class PeerDialerTest {
    private static final SwarmKey SWARM = Fixtures.PRIVATE;
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration HANDSHAKE = Duration.ofMillis(400);

    private final PeerSecurityMemory memory = new PeerSecurityMemory();

    @Test
    void preferredTalksSecureToOneOfOurs() throws Exception {
        try (TestResponder responder = new TestResponder(List.of(SWARM));
                PeerDialer.Connection c = dialer(EncryptionMode.PREFERRED).dial(address(responder.port()), SWARM)) {
            assertThat(c.secure()).isTrue();
            c.out().write(Fixtures.plainHandshake(SWARM.infoHash(), 'A'));
            c.out().flush();
            assertThat(responder.accepted().streams().in().readNBytes(68))
                    .isEqualTo(Fixtures.plainHandshake(SWARM.infoHash(), 'A'));
        }
    }

    @Test
    void preferredFallsBackToPlainWhenAClientWaitsSilentlyAndRemembers() throws Exception {
        try (StandardClient client = new StandardClient(false)) {
            PeerDialer dialer = dialer(EncryptionMode.PREFERRED);
            try (PeerDialer.Connection c = dialer.dial(address(client.port()), SWARM)) {
                assertPlainHandshakeWorks(c);
            }
            assertThat(memory.plan(SWARM.infoHash(), address(client.port()), EncryptionMode.PREFERRED)).isEqualTo(Plan.PLAIN);
            try (PeerDialer.Connection c = dialer.dial(address(client.port()), SWARM)) {
                assertPlainHandshakeWorks(c);
            }
            // secure try, plain, then straight to plain
            assertThat(client.firstBytes()).containsExactly((int) 'S', 19, 19);
        }
    }

    @Test
    void preferredFallsBackToPlainWhenAClientCloses() throws Exception {
        try (StandardClient client = new StandardClient(true);
                PeerDialer.Connection c = dialer(EncryptionMode.PREFERRED).dial(address(client.port()), SWARM)) {
            assertPlainHandshakeWorks(c);
            assertThat(client.firstBytes()).containsExactly((int) 'S', 19);
        }
    }

    @Test
    void requiredRefusesAStandardClientAndThenSkipsIt() throws Exception {
        try (StandardClient client = new StandardClient(true)) {
            PeerDialer dialer = dialer(EncryptionMode.REQUIRED);
            assertThatThrownBy(() -> dialer.dial(address(client.port()), SWARM)).isInstanceOfSatisfying(
                    SecureChannelException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_ANSWER));
            assertThatThrownBy(() -> dialer.dial(address(client.port()), SWARM)).isInstanceOfSatisfying(
                    SecureChannelException.class, e -> assertThat(e.getMessage()).contains("not connecting"));
            assertThat(client.firstBytes()).containsExactly((int) 'S');
        }
    }

    @Test
    void offSpeaksPlainAtOnce() throws Exception {
        try (StandardClient client = new StandardClient(true);
                PeerDialer.Connection c = dialer(EncryptionMode.OFF).dial(address(client.port()), SWARM)) {
            assertPlainHandshakeWorks(c);
            assertThat(client.firstBytes()).containsExactly(19);
        }
    }

    @Test
    void untrustedPeerIsSkippedInEveryMode() throws Exception {
        memory.markUntrusted(SWARM.infoHash(), InetAddress.getLoopbackAddress());
        for (EncryptionMode mode : EncryptionMode.values()) {
            assertThatThrownBy(() -> dialer(mode).dial(address(1), SWARM)).isInstanceOf(SecureChannelException.class);
        }
    }

    private PeerDialer dialer(EncryptionMode mode) {
        return new PeerDialer(memory, mode, CONNECT, HANDSHAKE);
    }

    private static void assertPlainHandshakeWorks(PeerDialer.Connection c) throws IOException {
        assertThat(c.secure()).isFalse();
        c.out().write(Fixtures.plainHandshake(SWARM.infoHash(), 'A'));
        c.out().flush();
        assertThat(c.in().readNBytes(68)).isEqualTo(Fixtures.plainHandshake(SWARM.infoHash(), 'B'));
    }

    private static InetSocketAddress address(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * A stand-in for aria2/libtorrent as seen from our side: answers a BEP 3 handshake with its
     * own; on anything else either closes at once or waits silently (as an MSE responder waits
     * for a 96-byte key). Records the first byte of every connection.
     */
    private static final class StandardClient implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final boolean closesOnUnknown;
        private final List<Integer> firstBytes = new ArrayList<>();
        private final List<Socket> sockets = new ArrayList<>();
        private final Thread acceptor;

        StandardClient(boolean closesOnUnknown) throws IOException {
            this.closesOnUnknown = closesOnUnknown;
            this.acceptor = Thread.ofVirtual().start(this::serve);
        }

        int port() {
            return server.getLocalPort();
        }

        List<Integer> firstBytes() {
            synchronized (firstBytes) {
                return List.copyOf(firstBytes);
            }
        }

        private void serve() {
            try {
                while (true) {
                    Socket s = server.accept();
                    synchronized (firstBytes) {
                        sockets.add(s);
                    }
                    Thread.ofVirtual().start(() -> answer(s));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void answer(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                int first = in.read();
                synchronized (firstBytes) {
                    firstBytes.add(first);
                }
                if (first == 19) {
                    in.readNBytes(67);
                    s.getOutputStream().write(Fixtures.plainHandshake(SWARM.infoHash(), 'B'));
                    in.read(); // until the other side closes
                } else if (!closesOnUnknown) {
                    in.readNBytes(95); // an MSE responder waits for the rest of a 96-byte key
                }
            } catch (IOException e) {
                // the other side went away
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join();
            synchronized (firstBytes) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
