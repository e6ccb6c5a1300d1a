package simplebt.tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The site's own session store: ids, expiry, revocation and the cap per user. */
class WebSessionsTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final WebSessions sessions = new WebSessions(clock::get, new Random(7));

    @Test
    void anIdNamesItsUserUntilRevoked() {
        String id = sessions.create("alice");
        assertThat(id).matches("[A-Za-z0-9_-]{43}");
        assertThat(sessions.user(id)).contains("alice");
        sessions.revoke(id);
        assertThat(sessions.user(id)).isEmpty();
    }

    @Test
    void unknownEmptyAndOverlongIdsNameNobody() {
        sessions.create("alice");
        assertThat(sessions.user(null)).isEmpty();
        assertThat(sessions.user("")).isEmpty();
        assertThat(sessions.user("x".repeat(65))).isEmpty();
        assertThat(sessions.user("A".repeat(43))).isEmpty();
    }

    @Test
    void sessionsExpireAfterTheirLifetime() {
        String id = sessions.create("alice");
        clock.addAndGet(WebSessions.TTL_MILLIS - 1);
        assertThat(sessions.user(id)).contains("alice");
        clock.addAndGet(1);
        assertThat(sessions.user(id)).isEmpty();
    }

    @Test
    void aNewLoginBeyondTheCapEndsTheOldestSessionOfThatUserOnly() {
        String bobs = sessions.create("bob");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < WebSessions.MAX_PER_USER + 1; i++) {
            clock.incrementAndGet();
            ids.add(sessions.create("alice"));
        }
        assertThat(sessions.user(ids.get(0))).isEmpty();
        assertThat(sessions.user(ids.get(1))).contains("alice");
        assertThat(sessions.count("alice")).isEqualTo(WebSessions.MAX_PER_USER);
        assertThat(sessions.user(bobs)).contains("bob");
    }

    @Test
    void revokingAUserEndsAllButTheSessionKept() {
        String here = sessions.create("alice");
        String there = sessions.create("ALICE");
        String bobs = sessions.create("bob");
        sessions.revokeUser("alice", here);
        assertThat(sessions.user(here)).contains("alice");
        assertThat(sessions.user(there)).isEmpty();
        assertThat(sessions.user(bobs)).contains("bob");
        sessions.revokeUser("alice", null);
        assertThat(sessions.user(here)).isEmpty();
    }
}
