package simplebt.tracker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeDecoder;
import simplebt.metainfo.Metainfo;

/**
 * The tracker attacked the way the internet would, on loopback and bounded in time: oversized
 * headers and bodies, broken percent escapes, signup and password-guessing floods, announce
 * floods for made-up torrents. After each attack a normal user (bob, seeding a registered
 * torrent) must still be served, and what the tracker stored must still load.
 */
@Timeout(120)
class TrackerAbuseTest {
    @TempDir
    Path dir;
    private TrackerServer server;
    private TrackerHttp http;
    private String bobPasskey;
    private String bobHash;
    /** bob's login: on a private tracker the torrent list is for members only. */
    private String bobToken;
    /** The tracker's clock: sign-up allowances refill only when a test moves it. */
    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());

    private TrackerConfig config() {
        return TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0).withPasswordIterations(1000);
    }

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.start(config(), clock::get);
        http = new TrackerHttp(server.baseUrl());
        String token = http.signupAndLogin("bob");
        bobToken = token;
        byte[] torrent = TestTorrents.singleFile("bob.iso", 100_000);
        assertThat(http.post("/api/torrents", token, "application/x-bittorrent", torrent).status()).isEqualTo(201);
        bobHash = TrackerHttp.escape(Metainfo.parse(torrent).infoHash().bytes());
        bobPasskey = http.get("/api/me", token).field("passkey");
        assertNormalUserServed();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** bob announces his registered torrent and reads the public list: both work. */
    private void assertNormalUserServed() throws Exception {
        TrackerHttp.Reply r = http.get("/announce/" + bobPasskey + "?info_hash=" + bobHash
                + "&peer_id=-SB0001-bobbobbobbob&port=7000&left=0", null);
        assertThat(r.status()).isEqualTo(200);
        BDict reply = (BDict) BencodeDecoder.decode(r.body());
        assertThat(reply.has("failure reason")).as("bob's announce: %s", reply).isFalse();
        assertThat(http.get("/api/torrents", bobToken).status()).isEqualTo(200);
    }

    /**
     * After an attack: every data file still parses, and a tracker restarted on the same folder
     * lets bob log in, lists his torrent and takes his announce with the same passkey.
     */
    private void assertDataDirConsistentAfterRestart() throws Exception {
        server.close();
        JsonParser.parseString(Files.readString(dir.resolve("accounts.json"))).getAsJsonArray();
        if (Files.exists(dir.resolve("sessions.json"))) {
            JsonParser.parseString(Files.readString(dir.resolve("sessions.json"))).getAsJsonArray();
        }
        for (String line : Files.readAllLines(dir.resolve("sessions.log"))) {
            JsonParser.parseString(line).getAsJsonObject();
        }
        try (Stream<Path> files = Files.list(dir.resolve("torrents"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            }
        }
        server = TrackerServer.start(config(), clock::get);
        http = new TrackerHttp(server.baseUrl());
        TrackerHttp.Reply login = http.postJson("/api/login", null, "{\"username\":\"bob\",\"password\":\"correct horse\"}");
        assertThat(login.status()).isEqualTo(200);
        bobToken = login.field("token");
        assertThat(http.get("/api/torrents", bobToken).text()).contains("bob.iso");
        assertNormalUserServed();
    }

    @Test
    void oversizedHeadersAndBodiesAreRefused() throws Exception {
        // A 1 MiB header line: refused or dropped, never a hang or a 5xx.
        int status = raw("GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n", new byte[0]);
        assertThat(status).as("1 MiB header").isIn(-1, 400, 413, 431);
        // 10,000 small headers.
        status = raw("GET /api/stats HTTP/1.1\r\nHost: x\r\n" + "X-H: 1\r\n".repeat(10_000) + "\r\n", new byte[0]);
        assertThat(status).as("10,000 headers").isIn(-1, 200, 400, 413, 431);
        // A declared 1 GiB body is refused before it is read.
        status = raw("POST /api/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + (1L << 30) + "\r\n\r\n", new byte[64 * 1024]);
        assertThat(status).as("1 GiB declared body").isIn(-1, 413);
        // A chunked body that never ends is read only up to the limit.
        StringBuilder chunks = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            chunks.append("4000\r\n").append("x".repeat(0x4000)).append("\r\n");
        }
        status = raw("POST /api/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", chunks.toString().getBytes(ISO_8859_1));
        assertThat(status).as("1 MiB chunked body").isIn(-1, 413);
        // An oversized .torrent upload.
        String token = http.postJson("/api/login", null, "{\"username\":\"bob\",\"password\":\"correct horse\"}").field("token");
        String listed = http.get("/api/torrents", token).text();
        try {
            TrackerHttp.Reply upload = http.post("/api/torrents", token, "application/x-bittorrent", new byte[20 << 20]);
            assertThat(upload.status()).isEqualTo(413);
        } catch (java.io.IOException e) {
            // The server answers 413 as soon as it sees the declared length and closes; a client still
            // writing the 20 MiB may see that close (a reset) before it reads the answer. Either way
            // nothing was stored, which the listing below checks.
        }
        assertThat(http.get("/api/torrents", token).text()).isEqualTo(listed);
        assertNormalUserServed();
        assertDataDirConsistentAfterRestart();
    }

    @Test
    void malformedPercentEscapesAreRefusedCleanly() throws Exception {
        for (String query : List.of("info_hash=%zz", "info_hash=%4", "info_hash=%", "info_hash=abc%4&port=1",
                "peer_id=%G0%00&info_hash=" + bobHash, "%zz=1", "port=%00", "info_hash=" + bobHash + "&port=%FF%FE",
                "info_hash=" + "%C3%A9".repeat(20) + "&peer_id=" + "%".repeat(20) + "&port=1")) {
            for (String path : List.of("/announce?", "/announce/" + bobPasskey + "?", "/scrape?", "/scrape/" + bobPasskey + "?")) {
                int status = raw("GET " + path + query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]);
                assertThat(status).as(path + query).isIn(200, 400);
            }
        }
        // An escape that is not valid URI syntax is refused by the HTTP layer (400) before any
        // handler runs; a well-formed query with bad values is a bencoded failure reason.
        TrackerHttp.Reply r = rawReply("GET /announce/" + bobPasskey + "?info_hash=%zz HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(r.status()).isEqualTo(400);
        r = rawReply("GET /announce/" + bobPasskey + "?info_hash=%C3%A9&peer_id=%00&port=1 HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("failure reason").contains("info_hash must be 20 bytes");
        for (String path : List.of("/api/torrents/%zz", "/api/torrents/%4", "/announce/%zz%zz", "/api/%00%00")) {
            int status = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]);
            assertThat(status).as(path).isBetween(200, 499);
        }
        assertNormalUserServed();
        assertDataDirConsistentAfterRestart();
    }

    @Test
    void tenThousandSignupsFromOneAddressCreateOnlyTheAllowedFew() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            bodies.add(switch (i % 4) {
                case 0 -> "{\"username\":\"user" + i + "\",\"password\":\"correct horse " + i + "\"}";  // valid
                case 1 -> "{\"username\":\"bob\",\"password\":\"correct horse\"}";                       // taken
                case 2 -> "{\"username\":\"" + "x".repeat(random.nextInt(200)) + "\",\"password\":\"p\"}"; // invalid
                default -> "{\"username\":" + random.nextLong() + "}";                                  // junk
            });
        }
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> created = new CopyOnWriteArrayList<>();
        Set<String> refusals = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        List<Thread> attackers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            attackers.add(Thread.ofVirtual().start(() -> {
                for (int i; (i = next.getAndIncrement()) < bodies.size(); ) {
                    try {
                        TrackerHttp.Reply r = http.postJson("/api/signup", null, bodies.get(i));
                        statuses.merge(r.status(), 1, Integer::sum);
                        if (r.status() == 201) {
                            created.add(r.field("username"));
                        } else if (r.status() == 429) {
                            refusals.add(r.error() + " / Retry-After " + r.headers().firstValue("Retry-After").orElse("-"));
                        }
                    } catch (IOException | InterruptedException e) {
                        statuses.merge(-1, 1, Integer::sum);
                    }
                }
            }));
        }
        for (Thread t : attackers) {
            t.join();
        }
        System.out.println("10,000 signups from one address: " + statuses + ", created " + created);
        // bob's own sign-up took one of the 10; every well-formed attempt (new or taken name)
        // draws on the allowance, mistakes (400) do not, and the rest are refused.
        int allowance = SignupRate.DEFAULT.count() - 1;
        assertThat(statuses.getOrDefault(201, 0) + statuses.getOrDefault(409, 0)).isEqualTo(allowance);
        assertThat(statuses.get(429)).isEqualTo(5_000 - allowance);
        assertThat(statuses.get(400)).isEqualTo(5_000);
        assertThat(statuses.keySet()).containsOnly(201, 400, 409, 429);
        assertThat(refusals).containsExactly("too many signups from this address, try again in 60 s / Retry-After 60");
        assertNormalUserServed();

        // A minute later one more is allowed, then the address waits again.
        clock.addAndGet(60_000);
        assertThat(http.postJson("/api/signup", null, "{\"username\":\"late1\",\"password\":\"correct horse\"}")
                .status()).isEqualTo(201);
        created.add("late1");
        assertThat(http.postJson("/api/signup", null, "{\"username\":\"late2\",\"password\":\"correct horse\"}")
                .status()).isEqualTo(429);
        JsonObject stats = http.get("/api/stats", null).json().getAsJsonObject();
        assertThat(stats.get("users").getAsInt()).isEqualTo(1 + created.size());

        // The accounts file is valid JSON holding exactly bob and the acknowledged accounts.
        List<String> stored = new ArrayList<>();
        for (JsonElement a : JsonParser.parseString(Files.readString(dir.resolve("accounts.json"))).getAsJsonArray()) {
            stored.add(a.getAsJsonObject().get("username").getAsString());
        }
        assertThat(stored).containsExactlyInAnyOrderElementsOf(concat("bob", created));
        assertDataDirConsistentAfterRestart();
        for (String user : created) {
            String password = user.equals("late1") ? "correct horse" : "correct horse " + user.substring(4);
            assertThat(http.postJson("/api/login", null, "{\"username\":\"" + user + "\",\"password\":\"" + password
                    + "\"}").status()).as(user).isEqualTo(200);
        }
    }

    /**
     * Sign-up answers 409 for a taken name, so it can tell whether an account exists; probes draw
     * on the same per-address allowance as sign-ups, and past it a taken and a free name get the
     * same 429.
     */
    @Test
    void probingForTakenNamesIsRateLimitedPerAddress() throws Exception {
        int allowance = SignupRate.DEFAULT.count() - 1; // bob's sign-up took one
        for (int i = 0; i < allowance; i++) {
            assertThat(http.postJson("/api/signup", null, "{\"username\":\"bob\",\"password\":\"correct horse\"}")
                    .status()).isEqualTo(409);
        }
        TrackerHttp.Reply taken = http.postJson("/api/signup", null, "{\"username\":\"bob\",\"password\":\"correct horse\"}");
        TrackerHttp.Reply free = http.postJson("/api/signup", null, "{\"username\":\"nobody\",\"password\":\"correct horse\"}");
        assertThat(taken.status()).isEqualTo(429);
        assertThat(free.status()).isEqualTo(429);
        assertThat(taken.text()).isEqualTo(free.text());
        assertThat(taken.headers().firstValue("Retry-After")).isEqualTo(free.headers().firstValue("Retry-After"));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    @Test
    void passwordGuessingIsSlowedDown() throws Exception {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertThat(http.postJson("/api/login", null, "{\"username\":\"bob\",\"password\":\"guess " + i + "\"}")
                    .status()).isEqualTo(401);
        }
        // After the free failures each further check must wait BASE_DELAY << k after the last
        // failure; earlier attempts are refused at once (nothing hashed) and say when to return.
        for (int k = 0; k < 3; k++) {
            TrackerHttp.Reply early = http.postJson("/api/login", null, "{\"username\":\"bob\",\"password\":\"correct horse\"}");
            assertThat(early.status()).as("attempt before the delay %d", k).isEqualTo(429);
            assertThat(early.headers().firstValue("Retry-After")).contains("1");
            clock.addAndGet(LoginThrottle.BASE_DELAY_MILLIS << k);
            assertThat(http.postJson("/api/login", null, "{\"username\":\"bob\",\"password\":\"guess\"}").status())
                    .isEqualTo(401);
        }
        // Announces and reads are not throttled while the account is under attack.
        assertNormalUserServed();
        // The owner gets in with the right password once the current delay is over.
        clock.addAndGet(LoginThrottle.BASE_DELAY_MILLIS << 3);
        assertThat(http.postJson("/api/login", null, "{\"username\":\"bob\",\"password\":\"correct horse\"}").status())
                .isEqualTo(200);
        assertDataDirConsistentAfterRestart();
    }

    @Test
    void announceFloodForRandomHashesIsRefusedAndStoresNothing() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        int refused = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] hash = new byte[20];
            random.nextBytes(hash);
            String path = (i % 2 == 0 ? "/announce/" + bobPasskey : "/announce") + "?info_hash=" + TrackerHttp.escape(hash)
                    + "&peer_id=-XX0001-" + String.format("%012d", i) + "&port=" + (1 + i % 65535) + "&left=" + i;
            TrackerHttp.Reply r = http.get(path, null);
            assertThat(r.status()).isEqualTo(200);
            BDict reply = (BDict) BencodeDecoder.decode(r.body());
            if (reply.text("failure reason").isPresent()) {
                refused++;
            }
        }
        assertThat(refused).isEqualTo(3_000);
        JsonObject stats = http.get("/api/stats", null).json().getAsJsonObject();
        assertThat(stats.get("torrents").getAsInt()).isEqualTo(1);
        assertThat(stats.get("peers").getAsInt()).as("only bob is in any swarm").isEqualTo(1);
        assertNormalUserServed();
        assertDataDirConsistentAfterRestart();
    }

    /** Sends raw bytes and returns the HTTP status, or -1 when the server closed without one. */
    private int raw(String head, byte[] body) throws IOException {
        return rawReply(head, body).status();
    }

    private TrackerHttp.Reply rawReply(String head) throws IOException {
        return rawReply(head, new byte[0]);
    }

    private TrackerHttp.Reply rawReply(String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000); // a hang fails the test instead of blocking it
            OutputStream out = s.getOutputStream();
            try {
                out.write(head.getBytes(ISO_8859_1));
                out.write(body);
                out.flush();
                s.shutdownOutput();
            } catch (IOException closedEarly) {
                // the server may answer and close before reading everything we send
            }
            InputStream in = s.getInputStream();
            byte[] reply;
            try {
                reply = in.readAllBytes();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no reply within 20 s to " + head.substring(0, Math.min(80, head.length())), e);
            } catch (IOException reset) {
                reply = new byte[0];
            }
            String text = new String(reply, ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new TrackerHttp.Reply(-1, reply, null);
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyAt = text.indexOf("\r\n\r\n");
            return new TrackerHttp.Reply(status, bodyAt < 0 ? new byte[0]
                    : java.util.Arrays.copyOfRange(reply, bodyAt + 4, reply.length), null);
        }
    }
}
