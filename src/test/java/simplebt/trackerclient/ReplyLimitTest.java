package simplebt.trackerclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.metainfo.InfoHash;
import simplebt.trackerclient.AnnounceRequest.Event;

/** A tracker reply is read only up to 1 MiB: a body that never ends costs no more (issue 14). */
@Timeout(60)
class ReplyLimitTest {
    private static final AnnounceRequest REQUEST = new AnnounceRequest(InfoHash.fromHex("ab".repeat(20)),
            "-SJ0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII), 6881, 0, 0, 1, Event.STARTED, 50);

    @Test
    void endlessReplyIsCutAtTheLimit() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) '0'); // a digit string that never reaches its ':'
        try (RawHttpServer tracker = new RawHttpServer("Content-Type: text/plain\r\n", out -> {
            while (true) {
                out.write(chunk);
            }
        }); AnnounceClient client = new AnnounceClient(Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> client.announce(tracker.url("/announce"), REQUEST))
                    .isInstanceOf(AnnounceException.class)
                    .hasMessage("tracker reply is larger than 1 MiB; stopped reading");
            // what the client read, plus what the sockets' buffers took before it hung up
            assertThat(tracker.bodyBytesSent()).isLessThan(16L << 20);
        }
    }

    @Test
    void endlessChunkedReplyIsCutAtTheLimit() throws Exception {
        byte[] chunk = ("10000\r\n" + "0".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (RawHttpServer tracker = new RawHttpServer("Transfer-Encoding: chunked\r\n", out -> {
            while (true) {
                out.write(chunk);
            }
        }); AnnounceClient client = new AnnounceClient(Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> client.announce(tracker.url("/announce"), REQUEST))
                    .hasMessage("tracker reply is larger than 1 MiB; stopped reading");
            assertThat(tracker.bodyBytesSent()).isLessThan(16L << 20);
        }
    }

    @Test
    void replyOfExactlyTheLimitIsRead() throws Exception {
        // d8:intervali60e5:peers<n>:...e padded to exactly 1 MiB with a long peer string
        String head = "d8:intervali60e5:peers";
        int peersLength = (1 << 20) - head.length() - "e".length() - ":".length() - 7;
        byte[] body = (head + peersLength + ":" + "\u0000".repeat(peersLength) + "e").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(body).hasSize(1 << 20);
        try (RawHttpServer tracker = RawHttpServer.fixed(body); AnnounceClient client = new AnnounceClient(Duration.ofSeconds(30))) {
            assertThat(client.announce(tracker.url("/announce"), REQUEST).interval()).isEqualTo(60);
        }
    }

    @Test
    void tricklingReplyEndsAtTheClientTimeout() throws Exception {
        try (RawHttpServer tracker = new RawHttpServer("Content-Type: text/plain\r\n", out -> {
            while (true) {
                out.write('0');
                out.flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }); AnnounceClient client = new AnnounceClient(Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> client.announce(tracker.url("/announce"), REQUEST))
                    .hasMessage("tracker reply took longer than 2 s");
        }
    }
}
