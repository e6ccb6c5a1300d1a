package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.metainfo.InfoHash;
import simplebt.secure.EncryptionMode;
import simplebt.secure.PeerSecurityMemory;
import simplebt.secure.PeerSecurityMemory.Plan;
import simplebt.secure.SecureChannelException;

/**
 * The outgoing-connection policy of {@code --encryption} against fake standard clients: the
 * cases the removed {@code secure.PeerDialer}'s test covered that the session tests
 * (SecureSessionIT) do not. The first byte of every connection the client sees tells which
 * kind of dial it was: 19 is a plain BEP 3 handshake, anything else the secure prefix.
 */
@Timeout(60)
class SecureConnectorTest {
    private static final InfoHash HASH = new InfoHash(new byte[20]);

    private final PeerSecurityMemory memory = new PeerSecurityMemory();

    @Test
    void preferredFallsBackToPlainWhenAClientWaitsSilentlyAndRemembers() throws Exception {
        try (StandardClient client = new StandardClient(false)) {
            PeerConnector connector = connector(EncryptionMode.PREFERRED, true);
            assertPlainHandshakeWorks(connector.connect(client.address()));
            assertThat(memory.plan(HASH, client.address(), EncryptionMode.PREFERRED)).isEqualTo(Plan.PLAIN);
            assertPlainHandshakeWorks(connector.connect(client.address()));
            assertThat(client.firstBytes()).as("secure try, plain, then straight to plain").hasSize(3)
                    .endsWith(19, 19).first().isNotEqualTo(19);
        }
    }

    @Test
    void preferredFallsBackToPlainWhenAClientCloses() throws Exception {
        try (StandardClient client = new StandardClient(true)) {
            assertPlainHandshakeWorks(connector(EncryptionMode.PREFERRED, true).connect(client.address()));
            assertThat(client.firstBytes()).hasSize(2).endsWith(19).first().isNotEqualTo(19);
        }
    }

    @Test
    void preferredDialsAPeerThatIsNotLikelyOursPlainAtOnce() throws Exception {
        try (StandardClient client = new StandardClient(false)) {
            assertPlainHandshakeWorks(connector(EncryptionMode.PREFERRED, false).connect(client.address()));
            assertThat(client.firstBytes()).containsExactly(19);
        }
    }

    @Test
    void requiredRefusesAStandardClientAndThenSkipsIt() throws Exception {
        try (StandardClient client = new StandardClient(true)) {
            PeerConnector connector = connector(EncryptionMode.REQUIRED, true);
            assertThatThrownBy(() -> connector.connect(client.address())).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> connector.connect(client.address())).hasMessageContaining("skipped");
            assertThat(client.firstBytes()).hasSize(1).first().isNotEqualTo(19);
        }
    }

    @Test
    void anUntrustedPeerIsSkippedInEveryMode() throws Exception {
        try (StandardClient client = new StandardClient(true)) {
            memory.markUntrusted(HASH, client.address().getAddress());
            for (EncryptionMode mode : List.of(EncryptionMode.PREFERRED, EncryptionMode.REQUIRED)) {
                assertThatThrownBy(() -> connector(mode, true).connect(client.address())).hasMessageContaining("skipped");
            }
            assertThat(client.firstBytes()).isEmpty();
        }
    }

    /** @param likelyOurs given with {@code --peer} (secure first, plain if it does not answer) */
    private PeerConnector connector(EncryptionMode mode, boolean likelyOurs) {
        return connector(mode, likelyOurs, false);
    }

    private PeerConnector connector(EncryptionMode mode, boolean userGiven, boolean listedByOurTracker) {
        SwarmKeyHolder key = new SwarmKeyHolder(HASH, false, Optional.empty());
        key.start(false); // no tracker: the info hash alone keys the channel
        return new SecureConnector(mode, HASH, key, a -> userGiven, a -> listedByOurTracker, memory, new PlainTransport());
    }

    /**
     * Issue 14: an attacker on the path resets every secure greeting (the client closes on
     * anything but BEP 3, which looks the same). A peer our tracker lists in {@code sbt peers}
     * used to be reached plain at once and remembered as plain for an hour; now every dial
     * fails and stays secure.
     */
    @Test
    void preferredNeverGoesPlainWithAPeerOurTrackerListsAsOurs() throws Exception {
        try (StandardClient client = new StandardClient(true)) {
            PeerConnector connector = connector(EncryptionMode.PREFERRED, false, true);
            for (int dial = 0; dial < 3; dial++) {
                assertThatThrownBy(() -> connector.connect(client.address())).isInstanceOf(SecureChannelException.class);
            }
            assertThat(client.firstBytes()).as("three secure attempts, no plain one").hasSize(3).doesNotContain(19);
            assertThat(memory.plan(HASH, client.address(), EncryptionMode.PREFERRED)).isEqualTo(Plan.SECURE_THEN_PLAIN);
        }
    }

    /** Remembered as plain before the tracker listed it: dialed secure all the same. */
    @Test
    void aListedPeerRememberedAsPlainIsStillDialedSecure() throws Exception {
        try (StandardClient client = new StandardClient(true)) {
            memory.markPlain(HASH, client.address());
            assertThatThrownBy(() -> connector(EncryptionMode.PREFERRED, false, true).connect(client.address()))
                    .isInstanceOf(SecureChannelException.class);
            assertThat(client.firstBytes()).hasSize(1).doesNotContain(19);
        }
    }

    private static void assertPlainHandshakeWorks(PeerStreams s) throws IOException {
        try {
            s.out().write(StandardClient.handshake('A'));
            s.out().flush();
            assertThat(s.in().readNBytes(68)).isEqualTo(StandardClient.handshake('B'));
        } finally {
            s.closer().close();
        }
    }

    /**
     * A stand-in for aria2/libtorrent as seen from our side, on 127.0.0.1: answers a BEP 3
     * handshake with its own; on anything else either closes at once or waits silently (as an
     * MSE responder waits for a 96-byte key). Records the first byte of every connection.
     */
    private static final class StandardClient implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        private final boolean closesOnUnknown;
        private final List<Integer> firstBytes = new CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        StandardClient(boolean closesOnUnknown) throws IOException {
            this.closesOnUnknown = closesOnUnknown;
            this.acceptor = Thread.ofVirtual().start(this::serve);
        }

        /** BEP 3: pstrlen 19, "BitTorrent protocol", 8 reserved, info hash, peer id. */
        static byte[] handshake(char peer) {
            byte[] h = new byte[68];
            h[0] = 19;
            System.arraycopy("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII), 0, h, 1, 19);
            System.arraycopy(HASH.bytes(), 0, h, 28, 20);
            System.arraycopy(("-SB0001-" + String.valueOf(peer).repeat(12)).getBytes(StandardCharsets.US_ASCII), 0, h, 48, 20);
            return h;
        }

        InetSocketAddress address() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        List<Integer> firstBytes() {
            return List.copyOf(firstBytes);
        }

        private void serve() {
            try {
                while (true) {
                    Socket s = server.accept();
                    sockets.add(s);
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
                firstBytes.add(first);
                if (first == 19) {
                    in.readNBytes(67);
                    s.getOutputStream().write(handshake('B'));
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
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
