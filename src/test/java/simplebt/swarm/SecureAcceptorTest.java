package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.metainfo.InfoHash;
import simplebt.secure.PeerSecurityMemory;
import simplebt.secure.SecureChannel;
import simplebt.secure.SecureStreams;
import simplebt.secure.SwarmKey;
import simplebt.wire.Handshake;

/** The acceptor hands on a secure pipe only when the BEP 3 handshake inside names our torrent. */
@Timeout(30)
class SecureAcceptorTest {
    private static final InfoHash OURS = hash(1);
    private static final InfoHash OTHER = hash(2);

    private static InfoHash hash(int fill) {
        byte[] b = new byte[InfoHash.LENGTH];
        Arrays.fill(b, (byte) fill);
        return new InfoHash(b);
    }

    /** Runs the acceptor on one incoming connection; the initiator sends a handshake naming {@code named}. */
    private Optional<PeerStreams> acceptWithHandshakeFor(InfoHash named) throws Exception {
        SwarmKeyHolder key = new SwarmKeyHolder(OURS, false, Optional.empty());
        key.start(false); // no tracker: the info hash alone
        SecureAcceptor acceptor = new SecureAcceptor(OURS, key, new PeerSecurityMemory());
        BlockingQueue<Optional<PeerStreams>> handed = new ArrayBlockingQueue<>(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread responder = Thread.ofVirtual().start(() -> {
                try {
                    Socket s = server.accept();
                    acceptor.handle(s, new BufferedInputStream(s.getInputStream()), streams -> handed.add(Optional.of(streams)));
                } catch (Exception e) {
                    // the acceptor closed it
                }
                handed.offer(Optional.empty());
            });
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
            SecureStreams s = SecureChannel.connect(socket, SwarmKey.open(OURS), SecureChannel.DEFAULT_TIMEOUT);
            Handshake.ours(named, Handshake.newPeerId()).write(new DataOutputStream(s.out()));
            s.out().flush();
            Optional<PeerStreams> result = handed.poll(20, TimeUnit.SECONDS);
            responder.join(5_000);
            s.close();
            return result;
        }
    }

    @Test
    void handsOnTheStreamsWithTheHandshakeStillToRead() throws Exception {
        Optional<PeerStreams> streams = acceptWithHandshakeFor(OURS);
        assertThat(streams).isPresent();
        byte[] head = streams.get().in().readNBytes(Handshake.LENGTH);
        assertThat(Arrays.copyOfRange(head, 28, 48)).isEqualTo(OURS.bytes());
        streams.get().closer().close();
    }

    @Test
    void dropsAHandshakeForAnotherTorrentInsideTheChannel() throws Exception {
        assertThat(acceptWithHandshakeFor(OTHER)).isEmpty();
    }
}
