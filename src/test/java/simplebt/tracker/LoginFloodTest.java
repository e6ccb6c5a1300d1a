package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeDecoder;
import simplebt.metainfo.Metainfo;

/**
 * Login floods from many connections and many addresses (127.0.0.2-65, all loopback) against a
 * real tracker. The tracker's clock stands still, so a throttled account or address stays
 * throttled for the whole flood and the counts are exact. Passwords cost 20,000 PBKDF2
 * iterations here, enough that unbounded parallel hashing would be felt.
 */
@Timeout(120)
class LoginFloodTest {
    private static final int ATTACKERS = 64;
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private TrackerServer server;
    private TrackerHttp http;
    private String bobAnnounce;

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.start(TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0)
                .withPasswordIterations(20_000), clock::get);
        http = new TrackerHttp(server.baseUrl());
        String token = http.signupAndLogin("bob");
        http.postJson("/api/signup", null, "{\"username\":\"alice\",\"password\":\"correct horse\"}");
        byte[] torrent = TestTorrents.singleFile("bob.iso", 100_000);
        assertThat(http.post("/api/torrents", token, "application/x-bittorrent", torrent).status()).isEqualTo(201);
        bobAnnounce = "/announce/" + http.get("/api/me", token).field("passkey") + "?info_hash="
                + TrackerHttp.escape(Metainfo.parse(torrent).infoHash().bytes()) + "&peer_id=-SB0001-bobbobbobbob&port=7000&left=0";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Before: all 256 guesses were checked (~8 hashes/s at 600,000 iterations on two cores). */
    @Test
    void parallelGuessesAgainstOneAccountAreCheckedOnlyTheFreeFewTimes() throws Exception {
        Map<Integer, Integer> statuses = flood(4, (attacker, i) -> "bob", new AtomicBoolean());
        System.out.println(ATTACKERS + " addresses x 4 guesses at bob: " + statuses);
        assertThat(statuses.keySet()).containsOnly(401, 429);
        assertThat(statuses.get(401)).isBetween(1, LoginThrottle.FREE_FAILURES);
        assertThat(statuses.get(401) + statuses.get(429)).isEqualTo(ATTACKERS * 4);
        assertOthersServed();
        clock.addAndGet(LoginThrottle.MAX_DELAY_MILLIS);
        assertThat(login("bob", "correct horse")).isEqualTo(200);
    }

    /** 64 addresses guessing names while alice logs in and bob announces: both are served. */
    @Test
    void floodFromManyAddressesIsBoundedPerAddressAndOthersAreServed() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Integer> checkedPerAddress = new ConcurrentHashMap<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Thread flood = Thread.ofVirtual().start(() -> {
            try {
                statuses.putAll(flood(10, (attacker, i) -> "nobody-" + attacker + "-" + i, stop, checkedPerAddress));
            } catch (Exception e) {
                statuses.put(-2, 1);
            }
        });
        for (int i = 0; i < 5; i++) {
            assertOthersServed();
        }
        flood.join();
        System.out.println(ATTACKERS + " addresses x 10 guesses at made-up names: " + statuses);
        assertThat(statuses.keySet()).isSubsetOf(401, 429, 503);
        // Each address had its free failures checked, and nothing more.
        assertThat(checkedPerAddress).hasSize(ATTACKERS);
        assertThat(checkedPerAddress.values()).allSatisfy(n -> assertThat(n).isBetween(1, LoginThrottle.FREE_FAILURES));
    }

    private void assertOthersServed() throws Exception {
        assertThat(login("alice", "correct horse")).as("alice's login during the flood").isEqualTo(200);
        TrackerHttp.Reply r = http.get(bobAnnounce, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(((BDict) BencodeDecoder.decode(r.body())).has("failure reason")).isFalse();
    }

    private int login(String user, String password) throws Exception {
        return http.postJson("/api/login", null, "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}").status();
    }

    private interface Names {
        String name(int attacker, int attempt);
    }

    private Map<Integer, Integer> flood(int perAttacker, Names names, AtomicBoolean stop) throws Exception {
        return flood(perAttacker, names, stop, new ConcurrentHashMap<>());
    }

    /** Each attacker posts from its own address; returns the count per status, 401s per address. */
    private Map<Integer, Integer> flood(int perAttacker, Names names, AtomicBoolean stop,
                                       Map<String, Integer> checkedPerAddress) throws Exception {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < ATTACKERS; a++) {
            int attacker = a;
            InetAddress from = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + a)});
            threads.add(Thread.ofVirtual().start(() -> {
                try (HttpClient client = HttpClient.newBuilder().localAddress(from)
                        .connectTimeout(Duration.ofSeconds(5)).build()) {
                    for (int i = 0; i < perAttacker && !stop.get(); i++) {
                        HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/login"))
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + names.name(attacker, i)
                                        + "\",\"password\":\"guess " + i + "\"}")).build();
                        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        if (r.statusCode() == 401) {
                            checkedPerAddress.merge(from.getHostAddress(), 1, Integer::sum);
                        } else {
                            assertThat(r.headers().firstValue("Retry-After")).as(r.body()).isPresent();
                        }
                    }
                } catch (Exception | AssertionError e) {
                    System.out.println("attacker " + attacker + ": " + e);
                    statuses.merge(-1, 1, Integer::sum);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return statuses;
    }
}
