package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Uploads per user and time, over HTTP on a real tracker whose clock the test moves. */
@Timeout(120)
class UploadLimitTest {
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private TrackerServer server;
    private TrackerHttp http;

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.start(TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0)
                .withPasswordIterations(1000), clock::get);
        http = new TrackerHttp(server.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int upload(String token, String name) throws Exception {
        return http.post("/api/torrents", token, "application/x-bittorrent", TestTorrents.singleFile(name, 20_000)).status();
    }

    @Test
    void aUserUploadsTheHourlyAllowanceThenWaits() throws Exception {
        String alice = http.signupAndLogin("alice");
        String bob = http.signupAndLogin("bob");
        for (int i = 0; i < UploadLimiter.PER_HOUR; i++) {
            assertThat(upload(alice, "a" + i)).as("upload %d", i).isEqualTo(201);
        }
        TrackerHttp.Reply refused = http.post("/api/torrents", alice, "application/x-bittorrent",
                TestTorrents.singleFile("one too many", 20_000));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("60");
        assertThat(refused.error()).isEqualTo("too many uploads, try again in 60 s");
        assertThat(http.get("/api/me", alice).json().getAsJsonObject().get("uploads").getAsInt())
                .isEqualTo(UploadLimiter.PER_HOUR);
        // Another user is not affected; a minute later alice may upload one more.
        assertThat(upload(bob, "b0")).isEqualTo(201);
        clock.addAndGet(60_000);
        assertThat(upload(alice, "late")).isEqualTo(201);
        assertThat(upload(alice, "later")).isEqualTo(429);
    }

    @Test
    void aUserKeepsAtMostTheLifetimeCap() {
        UploadLimiter limiter = new UploadLimiter(clock::get);
        assertThatThrownBy(() -> limiter.take("alice", UploadLimiter.MAX_PER_USER)).isInstanceOf(ApiException.class)
                .hasMessageContaining("1000 torrents")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(429));
    }
}
