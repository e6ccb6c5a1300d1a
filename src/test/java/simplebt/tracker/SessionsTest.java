package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    private Sessions open() throws Exception {
        return new Sessions(new Store(dir), clock::get, new SecureRandom(), 3600);
    }

    @Test
    void tokenIsRandomAndStoredOnlyHashed() throws Exception {
        Sessions s = open();
        Sessions.Issued a = s.create("alice");
        Sessions.Issued b = s.create("alice");
        assertThat(a.token()).isNotEqualTo(b.token()).hasSizeGreaterThanOrEqualTo(43);
        String file = Files.readString(dir.resolve("sessions.json"));
        assertThat(file).doesNotContain(a.token()).contains(Sessions.hash(a.token()));
        assertThat(s.user(a.token())).contains("alice");
        assertThat(s.user("not a token")).isEmpty();
    }

    @Test
    void tokensExpire() throws Exception {
        Sessions s = open();
        Sessions.Issued a = s.create("alice");
        clock.addAndGet(3_599_000);
        assertThat(s.user(a.token())).contains("alice");
        clock.addAndGet(1_000);
        assertThat(s.user(a.token())).isEmpty();
    }

    @Test
    void revokedTokensStayRevokedAcrossRestart() throws Exception {
        Sessions s = open();
        Sessions.Issued a = s.create("alice");
        Sessions.Issued b = s.create("bob");
        s.revoke(a.token());
        Sessions again = open();
        assertThat(again.user(a.token())).isEmpty();
        assertThat(again.user(b.token())).contains("bob");
    }
}
