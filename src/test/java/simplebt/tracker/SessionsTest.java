package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        String file = Files.readString(dir.resolve("sessions.log"));
        assertThat(file).doesNotContain(a.token()).doesNotContain(b.token()).contains(Sessions.hash(a.token()));
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

    @Test
    void aUserKeepsAtMostTheCapDroppingTheOldest() throws Exception {
        Sessions s = open();
        Sessions.Issued bob = s.create("bob");
        List<Sessions.Issued> alice = new ArrayList<>();
        for (int i = 0; i < Sessions.MAX_PER_USER + 5; i++) {
            alice.add(s.create("alice"));
            clock.addAndGet(1000);
        }
        for (Sessions sessions : List.of(s, open())) { // and the same after a restart
            for (int i = 0; i < alice.size(); i++) {
                assertThat(sessions.user(alice.get(i).token())).as("login %d", i)
                        .isEqualTo(i < 5 ? Optional.empty() : Optional.of("alice"));
            }
            assertThat(sessions.countFor("alice")).isEqualTo(Sessions.MAX_PER_USER);
            assertThat(sessions.user(bob.token())).contains("bob");
        }
    }

    /** A login appends one line; the snapshot is not rewritten until the log outgrows it. */
    @Test
    void loginAppendsOneLineInsteadOfRewritingEverySession() throws Exception {
        Sessions s = open();
        for (int i = 0; i < 50; i++) {
            s.create("user" + i);
        }
        Path snapshot = dir.resolve("sessions.json");
        Path log = dir.resolve("sessions.log");
        String before = Files.exists(snapshot) ? Files.readString(snapshot) : "";
        long logBefore = Files.size(log);
        Sessions.Issued late = s.create("late");
        assertThat(Files.exists(snapshot) ? Files.readString(snapshot) : "").isEqualTo(before);
        long appended = Files.size(log) - logBefore;
        assertThat(appended).as("bytes written for one login").isBetween(50L, 200L);
        assertThat(open().user(late.token())).contains("late");
    }

    /** Many logins and logouts: the log is folded into the snapshot and stays bounded. */
    @Test
    void theLogIsCompactedAndEverythingLiveSurvives() throws Exception {
        Sessions s = open();
        List<Sessions.Issued> kept = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Sessions.Issued t = s.create("user" + (i % 40));
            if (i / 40 % 2 == 0) { // every other round of 40 logins is logged out again
                s.revoke(t.token());
            } else {
                kept.add(t);
            }
        }
        assertThat(Files.readAllLines(dir.resolve("sessions.log")).size())
                .isLessThan(40 * Sessions.MAX_PER_USER + SessionJournal.COMPACT_SLACK + 1);
        Sessions again = open();
        int live = 0;
        for (Sessions.Issued t : kept) {
            live += again.user(t.token()).isPresent() ? 1 : 0;
        }
        assertThat(live).isEqualTo(40 * Sessions.MAX_PER_USER);
        assertThat(kept.subList(kept.size() - 40 * Sessions.MAX_PER_USER, kept.size()))
                .allSatisfy(t -> assertThat(again.user(t.token())).isPresent());
    }

    /** kill -9 in the middle of an append leaves half a line; the sessions before it load. */
    @Test
    void aTornLastLineIsSkipped() throws Exception {
        Sessions s = open();
        Sessions.Issued a = s.create("alice");
        s.close();
        Files.writeString(dir.resolve("sessions.log"), "{\"add\":{\"tokenHash\":\"ab", StandardOpenOption.APPEND);
        Sessions again = open();
        assertThat(again.user(a.token())).contains("alice");
        Sessions.Issued b = again.create("bob");
        assertThat(open().user(b.token())).contains("bob");
    }
}
