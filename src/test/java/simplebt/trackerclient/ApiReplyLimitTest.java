package simplebt.trackerclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The tracker API client reads a reply only up to {@link ApiClient#MAX_REPLY_BYTES}: a hostile
 * or broken tracker (or anyone in the path of plain HTTP) streaming a huge body must not fill
 * the node's memory, as the announce client's replies already cannot ({@link ReplyBody}).
 */
class ApiReplyLimitTest {
    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void aReplyOverTheLimitIsRefusedWithoutReadingItAll() throws Exception {
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'x');
        long chunks = ApiClient.MAX_REPLY_BYTES / chunk.length + 16;
        try (RawHttpServer tracker = new RawHttpServer("Content-Type: application/x-bittorrent\r\n", out -> {
            for (long i = 0; i < chunks; i++) {
                out.write(chunk);
            }
        }); ApiClient client = new ApiClient(tracker.url(""), "token")) {
            assertThatThrownBy(() -> client.downloadTorrent(HASH))
                    .isInstanceOf(TrackerApiException.class)
                    .hasMessageContaining("larger than");
            assertThat(tracker.bodyBytesSent()).isLessThan(chunks * chunk.length);
        }
    }

    @Test
    void aReplyOfExactlyTheLimitIsRead() throws Exception {
        byte[] body = new byte[ApiClient.MAX_REPLY_BYTES];
        try (RawHttpServer tracker = RawHttpServer.fixed(body); ApiClient client = new ApiClient(tracker.url(""), "token")) {
            assertThat(client.downloadTorrent(HASH)).hasSize(ApiClient.MAX_REPLY_BYTES);
        }
    }
}
