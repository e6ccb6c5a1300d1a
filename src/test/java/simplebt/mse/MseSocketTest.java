package simplebt.mse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.metainfo.InfoHash;
import simplebt.mse.MseException.Kind;

/** The socket adapter on 127.0.0.1: a real round trip, and the one deadline against silent or dribbling peers. */
@Timeout(60)
class MseSocketTest {
    private static final InfoHash TORRENT = new InfoHash(new byte[20]);

    @Test
    void connectAndAcceptCarryRc4BothWaysAndRestoreTheReadTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<String> responder = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(123_000);
                    MseConnection c = MseSocket.accept(s, s.getInputStream(), TorrentLookup.of(() -> List.of(TORRENT)),
                            EnumSet.allOf(CryptoMethod.class), Duration.ofSeconds(5), 1024);
                    assertThat(s.getSoTimeout()).isEqualTo(123_000);
                    String got = new String(c.in().readNBytes(5), StandardCharsets.US_ASCII);
                    c.out().write("pong!".getBytes(StandardCharsets.US_ASCII));
                    c.out().flush();
                    return c.method() + " " + got;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                s.setSoTimeout(77_000);
                MseConnection c = MseSocket.connect(s, TORRENT, Duration.ofSeconds(5), 1024);
                assertThat(s.getSoTimeout()).isEqualTo(77_000);
                c.out().write("ping!".getBytes(StandardCharsets.US_ASCII));
                c.out().flush();
                assertThat(new String(c.in().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("pong!");
                assertThat(c.method()).isEqualTo(CryptoMethod.RC4);
            }
            assertThat(responder.get(10, TimeUnit.SECONDS)).isEqualTo("RC4 ping!");
        }
    }

    /** A peer that never answers, and one that sends a byte every 50 ms: both end at the deadline, and the socket is closed. */
    @Test
    void aSilentOrDribblingPeerEndsAtTheDeadline() throws Exception {
        for (boolean dribble : new boolean[] {false, true}) {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                Thread peer = Thread.ofVirtual().start(() -> {
                    try (Socket s = server.accept()) {
                        OutputStream out = s.getOutputStream();
                        InputStream in = s.getInputStream();
                        while (dribble) {
                            out.write(0x42);
                            Thread.sleep(50);
                        }
                        in.read(new byte[100_000]);
                        in.read(); // until the other side closes
                    } catch (Exception e) {
                        // the initiator closed
                    }
                });
                Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                assertThatThrownBy(() -> MseSocket.connect(s, TORRENT, Duration.ofMillis(400), 1024))
                        .isInstanceOfSatisfying(MseException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_ANSWER));
                assertThat(s.isClosed()).isTrue();
                peer.join(5_000);
            }
        }
    }
}
