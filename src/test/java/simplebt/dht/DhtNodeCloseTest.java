package simplebt.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.List;

import org.junit.jupiter.api.Test;

class DhtNodeCloseTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * A node restarted on its port (serve after a magnet fetch, a test) must find it free: the
     * JDK only releases a datagram socket once the thread blocked in its receive has left it.
     * Without the wait, about one close in a hundred left the port bound.
     */
    @Test
    void closeReturnsOnlyOnceItsPortIsFree() throws IOException {
        int stillBound = 0;
        for (int i = 0; i < 300; i++) {
            DhtNode node = DhtNode.start(DhtOptions.of(LOOPBACK, 0).withBootstrap(List.of()));
            int port = node.port();
            node.close();
            try (DatagramSocket again = new DatagramSocket(port, LOOPBACK)) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            } catch (SocketException e) {
                stillBound++;
            }
        }
        assertThat(stillBound).as("closes after which the port was still bound").isZero();
    }
}
