package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.metainfo.InfoHash;
import simplebt.secure.EncryptionMode;
import simplebt.secure.PeerSecurityMemory;
import simplebt.secure.SecureChannelException;

/**
 * {@code preferred} mode against a path where someone resets every secure greeting (issue 14):
 * a peer our tracker lists as one of our nodes must never be reached plain; a {@code --peer}
 * peer (possibly a standard client) still falls back as before.
 */
@Timeout(30)
class SecureConnectorTest {
    private static final InfoHash TORRENT = new InfoHash(filled(9));

    private ServerSocket peer;
    /** The first byte of every connection the peer received: 'S' secure greeting, 0x13 plain handshake. */
    private final List<Integer> firstBytes = new CopyOnWriteArrayList<>();

    private static byte[] filled(int b) {
        byte[] a = new byte[InfoHash.LENGTH];
        Arrays.fill(a, (byte) b);
        return a;
    }

    @AfterEach
    void stop() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    /** A peer behind an attacker: every secure greeting is answered with a TCP reset; plain is accepted. */
    private InetSocketAddress resettingPeer() throws IOException {
        peer = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            while (!peer.isClosed()) {
                try {
                    Socket s = peer.accept();
                    int first = s.getInputStream().read();
                    firstBytes.add(first);
                    if (first == 'S') {
                        s.setSoLinger(true, 0); // RST
                        s.close();
                    } else {
                        Thread.ofVirtual().start(() -> holdOpen(s));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new InetSocketAddress("127.0.0.1", peer.getLocalPort());
    }

    private static void holdOpen(Socket s) {
        try (s) {
            while (s.getInputStream().read() >= 0) {
                // until the test closes it
            }
        } catch (IOException e) {
            // done
        }
    }

    private static SecureConnector connector(boolean userGiven, boolean listedAsOurs, PeerSecurityMemory memory) {
        SwarmKeyHolder key = new SwarmKeyHolder(TORRENT);
        key.settle(Optional.empty());
        return new SecureConnector(EncryptionMode.PREFERRED, TORRENT, key, a -> userGiven, a -> listedAsOurs, memory,
                new PlainTransport());
    }

    @Test
    void aPeerOurTrackerListsIsNeverReachedPlainWhenItsGreetingIsReset() throws Exception {
        InetSocketAddress address = resettingPeer();
        SecureConnector connector = connector(false, true, new PeerSecurityMemory());
        for (int dial = 0; dial < 3; dial++) {
            assertThatThrownBy(() -> connector.connect(address)).isInstanceOf(SecureChannelException.class);
        }
        assertThat(firstBytes).as("three secure attempts, no plain one").containsExactly((int) 'S', (int) 'S', (int) 'S');
    }

    /** Even if the memory already says "plain" (from before the tracker listed it), a listed peer is dialed secure. */
    @Test
    void aListedPeerRememberedAsPlainIsStillDialedSecure() throws Exception {
        InetSocketAddress address = resettingPeer();
        PeerSecurityMemory memory = new PeerSecurityMemory();
        memory.markPlain(TORRENT, address);
        assertThatThrownBy(() -> connector(false, true, memory).connect(address)).isInstanceOf(SecureChannelException.class);
        assertThat(firstBytes).containsExactly((int) 'S');
    }

    @Test
    void aPeerGivenWithDashDashPeerStillFallsBackToPlain() throws Exception {
        InetSocketAddress address = resettingPeer();
        PeerStreams streams = connector(true, false, new PeerSecurityMemory()).connect(address);
        streams.out().write(0x13); // the first byte of the BEP 3 handshake the connection would send
        streams.out().flush();
        for (int i = 0; i < 100 && firstBytes.size() < 2; i++) {
            Thread.sleep(50);
        }
        streams.closer().close();
        assertThat(firstBytes).containsExactly((int) 'S', 0x13);
    }
}
