package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.testing.Eventually;

class AccountsTest {
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private Accounts accounts;

    @BeforeEach
    void setUp() throws Exception {
        accounts = open();
    }

    private Accounts open() throws Exception {
        SecureRandom random = new SecureRandom();
        return new Accounts(new Store(dir), new PasswordHasher(1000, random), new LoginThrottle(clock::get), clock::get, random);
    }

    @Test
    void signupThenLoginWithTheRightPasswordOnly() throws Exception {
        accounts.signup("alice", "correct horse");
        assertThat(accounts.login("alice", "correct horse", "1.2.3.4")).get().extracting(Account::username).isEqualTo("alice");
        assertThat(accounts.login("ALICE", "correct horse", "1.2.3.4")).isPresent();
        assertThat(accounts.login("alice", "wrong horse!", "1.2.3.4")).isEmpty();
        assertThat(accounts.login("nobody", "correct horse", "1.2.3.4")).isEmpty();
    }

    @Test
    void storesOnlySaltedHashesAndARandomPasskey() throws Exception {
        Account a = accounts.signup("alice", "correct horse");
        Account b = accounts.signup("bob", "correct horse");
        String file = Files.readString(dir.resolve("accounts.json"));
        assertThat(file).doesNotContain("correct horse");
        assertThat(a.salt()).isNotEqualTo(b.salt());
        assertThat(a.hash()).isNotEqualTo(b.hash());
        assertThat(a.passkey()).matches("[0-9a-f]{32}").isNotEqualTo(b.passkey());
        assertThat(accounts.byPasskey(a.passkey())).contains(a);
    }

    @Test
    void accountsSurviveAReload() throws Exception {
        Account a = accounts.signup("alice", "correct horse");
        Accounts again = open();
        assertThat(again.byName("alice")).contains(a);
        assertThat(again.login("alice", "correct horse", "x")).isPresent();
        assertThat(again.count()).isEqualTo(1);
    }

    @Test
    void usernamesAreUniqueIgnoringCase() throws Exception {
        accounts.signup("alice", "correct horse");
        assertThatThrownBy(() -> accounts.signup("Alice", "another one"))
                .isInstanceOf(ApiException.class).hasMessage("username 'Alice' is taken")
                .extracting(e -> ((ApiException) e).status()).isEqualTo(409);
    }

    @Test
    void usernameRulesAreExplained() {
        for (String bad : new String[] {"ab", "a".repeat(33), "-alice", "al ice", "al/ice", "../x", "élan"}) {
            assertThatThrownBy(() -> accounts.signup(bad, "correct horse")).as(bad)
                    .hasMessage(Accounts.USERNAME_RULE);
        }
        assertThatThrownBy(() -> accounts.signup(null, "correct horse")).hasMessage("username is required");
    }

    @Test
    void passwordRulesAreExplained() {
        assertThatThrownBy(() -> accounts.signup("alice", null)).hasMessage("password is required");
        assertThatThrownBy(() -> accounts.signup("alice", "short")).hasMessage("password must be at least 8 characters");
        assertThatThrownBy(() -> accounts.signup("alice", "x".repeat(129))).hasMessage("password must be at most 128 characters");
        assertThatThrownBy(() -> accounts.signup("alice1234", "ALICE1234")).hasMessage("password must not be the username");
        assertThatThrownBy(() -> accounts.signup("alice", "aaaabbbb")).hasMessage("password must use at least 4 different characters");
    }

    @Test
    void repeatedFailuresAreSlowedDownPerUserAndAddress() throws Exception {
        LoginThrottle t = new LoginThrottle(clock::get);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertThat(t.delayMillis("alice", "1.1.1.1")).isZero();
            t.finish(t.begin("alice", "1.1.1.1"), LoginThrottle.Result.FAILED);
        }
        long first = t.delayMillis("alice", "9.9.9.9");
        assertThat(first).isEqualTo(LoginThrottle.BASE_DELAY_MILLIS);
        assertRefused(t, "alice", "9.9.9.9", 1);
        clock.addAndGet(first);
        t.finish(t.begin("alice", "1.1.1.1"), LoginThrottle.Result.FAILED);
        assertThat(t.delayMillis("alice", "9.9.9.9")).isEqualTo(2 * first);
        assertThat(t.delayMillis("bob", "1.1.1.1")).isEqualTo(2 * first);
        assertThat(t.delayMillis("bob", "2.2.2.2")).isZero();
        for (int i = 0; i < 20; i++) {
            clock.addAndGet(LoginThrottle.MAX_DELAY_MILLIS);
            t.finish(t.begin("alice", "1.1.1.1"), LoginThrottle.Result.FAILED);
        }
        assertThat(t.delayMillis("alice", "2.2.2.2")).isEqualTo(LoginThrottle.MAX_DELAY_MILLIS);
        assertRefused(t, "alice", "2.2.2.2", LoginThrottle.MAX_DELAY_MILLIS / 1000);
        clock.addAndGet(LoginThrottle.MAX_DELAY_MILLIS);
        t.finish(t.begin("alice", "2.2.2.2"), LoginThrottle.Result.SUCCEEDED);
        assertThat(t.delayMillis("alice", "2.2.2.2")).isZero();
        clock.addAndGet(LoginThrottle.FORGET_AFTER_MILLIS);
        assertThat(t.delayMillis("bob", "1.1.1.1")).isZero();
    }

    /** One check at a time per account and per address; a refusal (or a busy hasher) records nothing. */
    @Test
    void aSecondAttemptWhileOneIsCheckedIsRefused() throws Exception {
        LoginThrottle t = new LoginThrottle(clock::get);
        LoginThrottle.Attempt first = t.begin("alice", "1.1.1.1");
        assertRefused(t, "alice", "2.2.2.2", 1);
        assertRefused(t, "bob", "1.1.1.1", 1);
        t.finish(t.begin("bob", "2.2.2.2"), LoginThrottle.Result.NOT_CHECKED);
        t.finish(first, LoginThrottle.Result.NOT_CHECKED);
        assertThat(t.tracked()).isZero();
        // IPv6 addresses count per /64.
        LoginThrottle.Attempt v6 = t.begin("carol", "2001:db8:1:2:0:0:0:1");
        assertRefused(t, "dave", "2001:db8:1:2:ffff:0:0:9", 1);
        t.finish(v6, LoginThrottle.Result.FAILED);
    }

    /** A flood of made-up names waits behind real users' logins for the password hashing. */
    @Test
    void loginsForUnknownNamesWaitBehindRealUsers() throws Exception {
        SecureRandom random = new SecureRandom();
        HashingGate gate = new HashingGate(1);
        // A hash long enough (tens of ms) that the made-up login admitted after alice's cannot also
        // finish before her thread records its return: on a loaded machine that thread may wait a
        // few ms for a carrier after giving the permit back, and with 1,000 iterations it lost.
        Accounts a = new Accounts(new Store(dir.resolve("gated")), new PasswordHasher(100_000, random, gate),
                new LoginThrottle(clock::get), clock::get, random);
        a.signup("alice", "correct horse");
        assertThat(a.login("nobody", "guess", "9.9.9.9")).isEmpty(); // makes the decoy hash
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> {
            try {
                gate.run(false, () -> {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
            } catch (ApiException e) {
                throw new AssertionError(e);
            }
        });
        holding.await();
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> logins = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "made-up-" + i;
            String from = "10.0.0." + i;
            logins.add(Thread.ofVirtual().start(() -> {
                try {
                    a.login(name, "guess", from);
                    order.add(name);
                } catch (ApiException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        assertThat(Eventually.within(Duration.ofSeconds(10), () -> gate.waiting() >= 5)).isTrue();
        logins.add(Thread.ofVirtual().start(() -> {
            try {
                assertThat(a.login("alice", "correct horse", "2.2.2.2")).isPresent();
                order.add("alice");
            } catch (ApiException e) {
                throw new AssertionError(e);
            }
        }));
        assertThat(Eventually.within(Duration.ofSeconds(10), () -> gate.waiting() >= 6)).isTrue();
        release.countDown();
        holder.join();
        for (Thread t : logins) {
            t.join();
        }
        assertThat(order).hasSize(6).first().isEqualTo("alice");
    }

    private static void assertRefused(LoginThrottle t, String user, String address, long retryAfter) {
        assertThatThrownBy(() -> t.begin(user, address)).isInstanceOf(ApiException.class)
                .satisfies(e -> {
                    assertThat(((ApiException) e).status()).isEqualTo(429);
                    assertThat(((ApiException) e).retryAfterSeconds()).isEqualTo(retryAfter);
                });
    }

    @Test
    void passwordHashIsPbkdf2Sha256() {
        // RFC 7914 section 11 test vector for PBKDF2-HMAC-SHA256: P="passwd", S="salt", c=1, 64 bytes; first 32 here.
        byte[] dk = PasswordHasher.derive("passwd", "salt".getBytes(), 1);
        assertThat(java.util.HexFormat.of().formatHex(dk))
                .isEqualTo("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }
}
