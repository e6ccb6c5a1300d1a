package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeDecoder;
import simplebt.metainfo.Metainfo;

/** The whole tracker over real HTTP on 127.0.0.1: every endpoint and its error paths. */
class TrackerServerTest {
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private TrackerServer server;
    private TrackerHttp http;

    private TrackerConfig config() {
        return TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0).withPasswordIterations(1000).withInterval(60);
    }

    @BeforeEach
    void start() throws Exception {
        restart(config());
    }

    private void restart(TrackerConfig config) throws Exception {
        if (server != null) {
            server.close();
        }
        server = TrackerServer.start(config, clock::get);
        http = new TrackerHttp(server.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void signupLoginMeLogout() throws Exception {
        TrackerHttp.Reply signup = http.postJson("/api/signup", null, "{\"username\":\"alice\",\"password\":\"correct horse\"}");
        assertThat(signup.status()).isEqualTo(201);
        assertThat(signup.field("username")).isEqualTo("alice");
        TrackerHttp.Reply login = http.postJson("/api/login", null, "{\"username\":\"alice\",\"password\":\"correct horse\"}");
        assertThat(login.status()).isEqualTo(200);
        String token = login.field("token");
        JsonObject me = http.get("/api/me", token).json().getAsJsonObject();
        assertThat(me.get("username").getAsString()).isEqualTo("alice");
        assertThat(me.get("passkey").getAsString()).matches("[0-9a-f]{32}");
        assertThat(me.get("uploads").getAsInt()).isZero();
        assertThat(me.get("announceUrl").getAsString()).isEqualTo(server.baseUrl() + "/announce?passkey=" + me.get("passkey").getAsString());
        assertThat(http.postJson("/api/logout", token, "").status()).isEqualTo(200);
        TrackerHttp.Reply after = http.get("/api/me", token);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.error()).contains("log in again");
    }

    @Test
    void accountErrorsHaveTheRightStatus() throws Exception {
        assertThat(http.postJson("/api/signup", null, "{\"username\":\"a\",\"password\":\"correct horse\"}").error())
                .isEqualTo(Accounts.USERNAME_RULE);
        assertThat(http.postJson("/api/signup", null, "{\"username\":\"alice\",\"password\":\"short\"}").status()).isEqualTo(400);
        assertThat(http.postJson("/api/signup", null, "[1,2]").error()).isEqualTo("body must be a JSON object");
        assertThat(http.postJson("/api/signup", null, "{nope").error()).isEqualTo("body is not valid JSON");
        TrackerHttp.Reply form = http.post("/api/signup", null, "application/x-www-form-urlencoded", "a=b".getBytes());
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.error()).startsWith("Content-Type must be application/json");
        http.signupAndLogin("alice");
        TrackerHttp.Reply dup = http.postJson("/api/signup", null, "{\"username\":\"ALICE\",\"password\":\"correct horse\"}");
        assertThat(dup.status()).isEqualTo(409);
        TrackerHttp.Reply wrong = http.postJson("/api/login", null, "{\"username\":\"alice\",\"password\":\"wrong horse\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).isEqualTo("wrong username or password");
        assertThat(http.postJson("/api/login", null, "{\"username\":\"alice\"}").status()).isEqualTo(400);
        assertThat(http.get("/api/me", null).status()).isEqualTo(401);
        assertThat(http.get("/api/me", "bogus").status()).isEqualTo(401);
        TrackerHttp.Reply big = http.postJson("/api/signup", null, "{\"username\":\"" + "x".repeat(10_000) + "\"}");
        assertThat(big.status()).isEqualTo(413);
    }

    @Test
    void signupCanBeClosed() throws Exception {
        restart(config().withSignupOpen(false));
        TrackerHttp.Reply r = http.postJson("/api/signup", null, "{\"username\":\"alice\",\"password\":\"correct horse\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.error()).isEqualTo("sign-up is closed on this tracker");
    }

    @Test
    void unknownPathsAndWrongMethods() throws Exception {
        TrackerHttp.Reply missing = http.get("/api/nothing", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).contains("no such API endpoint");
        assertThat(http.get("/favicon.ico", null).status()).isEqualTo(404);
        TrackerHttp.Reply method = http.method("DELETE", "/api/torrents");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.headers().firstValue("Allow")).contains("GET, POST");
        assertThat(http.get("/api/login", null).status()).isEqualTo(405);
    }

    @Test
    void uploadListDetailsAndStampedDownload() throws Exception {
        String token = http.signupAndLogin("alice");
        byte[] torrent = TestTorrents.singleFile("movie.mkv", 100_000);
        Metainfo meta = Metainfo.parse(torrent);
        TrackerHttp.Reply up = http.post("/api/torrents", token, "application/x-bittorrent", torrent);
        assertThat(up.status()).isEqualTo(201);
        assertThat(up.field("infoHash")).isEqualTo(meta.infoHash().hex());
        assertThat(up.field("uploader")).isEqualTo("alice");

        JsonArray list = http.get("/api/torrents", token).json().getAsJsonArray();
        assertThat(list).hasSize(1);
        JsonObject t = list.get(0).getAsJsonObject();
        assertThat(t.get("name").getAsString()).isEqualTo("movie.mkv");
        assertThat(t.get("size").getAsLong()).isEqualTo(100_000);
        assertThat(t.get("seeders").getAsInt()).isZero();
        assertThat(t.get("completed").getAsInt()).isZero();
        assertThat(http.get("/api/torrents/" + meta.infoHash().hex().toUpperCase(), token).field("name")).isEqualTo("movie.mkv");

        TrackerHttp.Reply file = http.get("/api/torrents/" + meta.infoHash().hex() + "/file", token);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).contains("application/x-bittorrent");
        Metainfo stamped = Metainfo.parse(file.body());
        String passkey = http.get("/api/me", token).field("passkey");
        assertThat(stamped.infoHash()).isEqualTo(meta.infoHash());
        assertThat(stamped.rawInfo()).isEqualTo(meta.rawInfo());
        assertThat(stamped.announce()).contains(server.baseUrl() + "/announce?passkey=" + passkey);
        assertThat(stamped.comment()).contains("test torrent");
        assertThat(Files.exists(dir.resolve("torrents").resolve(meta.infoHash().hex() + ".torrent"))).isTrue();
        assertThat(http.get("/api/me", token).json().getAsJsonObject().get("uploads").getAsInt()).isEqualTo(1);
    }

    @Test
    void torrentErrors() throws Exception {
        String token = http.signupAndLogin("alice");
        byte[] torrent = TestTorrents.singleFile("movie.mkv", 100_000);
        assertThat(http.post("/api/torrents", null, "application/x-bittorrent", torrent).status()).isEqualTo(401);
        assertThat(http.post("/api/torrents", token, "text/plain", torrent).status()).isEqualTo(415);
        TrackerHttp.Reply bad = http.post("/api/torrents", token, "application/x-bittorrent", "d4:infoi1ee".getBytes());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).startsWith("not a valid .torrent: ");
        assertThat(http.post("/api/torrents", token, "application/x-bittorrent", torrent).status()).isEqualTo(201);
        TrackerHttp.Reply dup = http.post("/api/torrents", token, "application/octet-stream", torrent);
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.error()).contains("already registered");
        assertThat(declaredTooBig(token)).startsWith("HTTP/1.1 413 ").contains("{\"error\":\"request body larger than");
        assertThat(http.get("/api/torrents/xyz", token).status()).isEqualTo(400);
        assertThat(http.get("/api/torrents/..%2F..%2Faccounts", token).status()).isEqualTo(400);
        assertThat(http.get("/api/torrents/" + "0".repeat(40), token).status()).isEqualTo(404);
        assertThat(http.get("/api/torrents/" + "0".repeat(40) + "/file", token).status()).isEqualTo(404);
        String hash = Metainfo.parse(torrent).infoHash().hex();
        assertThat(http.get("/api/torrents/" + hash + "/file", null).status()).isEqualTo(401);
    }

    @Test
    void announceAndScrapeOverHttpInPrivateMode() throws Exception {
        String token = http.signupAndLogin("alice");
        byte[] torrent = TestTorrents.singleFile("movie.mkv", 100_000);
        Metainfo meta = Metainfo.parse(torrent);
        http.post("/api/torrents", token, "application/x-bittorrent", torrent);
        String passkey = http.get("/api/me", token).field("passkey");
        String hash = TrackerHttp.escape(meta.infoHash().bytes());

        BDict denied = announce("/announce?info_hash=" + hash + "&peer_id=-SJ0001-aaaaaaaaaaaa&port=7000&left=0");
        assertThat(denied.text("failure reason")).get().asString().contains("private tracker");
        BDict seeder = announce("/announce/" + passkey + "?info_hash=" + hash + "&peer_id=-SJ0001-aaaaaaaaaaaa&port=7000&left=0&event=started");
        assertThat(seeder.has("failure reason")).isFalse();
        assertThat(seeder.string("sbt secret")).get().extracting(s -> s.length()).isEqualTo(32);
        BDict leecher = announce("/announce?passkey=" + passkey + "&info_hash=" + hash
                + "&peer_id=-qB4500-bbbbbbbbbbbb&port=7001&left=5&event=started");
        assertThat(leecher.string("peers")).get().satisfies(p -> assertThat(p.bytes()).containsExactly(127, 0, 0, 1, 0x1b, 0x58));
        assertThat(leecher.string("sbt peers")).get().satisfies(p -> assertThat(p.bytes()).containsExactly(127, 0, 0, 1, 0x1b, 0x58));
        assertThat(leecher.integer("complete")).contains(1L);
        assertThat(leecher.integer("incomplete")).contains(1L);
        announce("/announce/" + passkey + "?info_hash=" + hash + "&peer_id=-qB4500-bbbbbbbbbbbb&port=7001&left=0&event=completed");

        BDict scrape = announce("/scrape/" + passkey + "?info_hash=" + hash);
        BDict stats = (BDict) scrape.dict("files").orElseThrow().entries().values().iterator().next();
        assertThat(stats.integer("complete")).contains(2L);
        assertThat(stats.integer("incomplete")).contains(0L);
        assertThat(stats.integer("downloaded")).contains(1L);

        JsonObject listed = http.get("/api/torrents", token).json().getAsJsonArray().get(0).getAsJsonObject();
        assertThat(listed.get("seeders").getAsInt()).isEqualTo(2);
        assertThat(listed.get("completed").getAsInt()).isEqualTo(1);
        JsonObject s = http.get("/api/stats", null).json().getAsJsonObject();
        assertThat(s.get("users").getAsInt()).isEqualTo(1);
        assertThat(s.get("torrents").getAsInt()).isEqualTo(1);
        assertThat(s.get("seeders").getAsInt()).isEqualTo(2);
        assertThat(s.get("completed").getAsInt()).isEqualTo(1);

        assertThat(announce("/announce/NOTAPASSKEY?info_hash=" + hash).text("failure reason")).contains("malformed passkey in the URL");
        assertThat(announce("/announce/" + passkey + "?info_hash=" + "%00".repeat(20) + "&peer_id=-SB0001-aaaaaaaaaaaa&port=1")
                .text("failure reason")).get().asString().contains("not registered");
        assertThat(announce("/announce/" + passkey + "?port=1").text("failure reason")).contains("missing info_hash");
    }

    /** Private means members only: the list and details name info hashes and uploaders. */
    @Test
    void privateListingAndDetailsNeedALogin() throws Exception {
        String token = http.signupAndLogin("alice");
        byte[] torrent = TestTorrents.singleFile("secret.mkv", 100_000);
        String hex = Metainfo.parse(torrent).infoHash().hex();
        http.post("/api/torrents", token, "application/x-bittorrent", torrent);
        for (String path : new String[] {"/api/torrents", "/api/torrents/" + hex, "/api/torrents/" + "0".repeat(40)}) {
            TrackerHttp.Reply anonymous = http.get(path, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.text()).doesNotContain(hex).doesNotContain("secret.mkv").doesNotContain("alice");
            assertThat(http.get(path, "forged-token").status()).as(path).isEqualTo(401);
        }
        assertThat(http.get("/api/torrents", token).text()).contains(hex).contains("secret.mkv");
        assertThat(http.get("/api/torrents/" + hex, token).field("uploader")).isEqualTo("alice");
        // Totals carry no names or hashes and stay public.
        assertThat(http.get("/api/stats", null).status()).isEqualTo(200);

        restart(config().withOpen(true));
        assertThat(http.get("/api/torrents", null).text()).contains(hex);
        assertThat(http.get("/api/torrents/" + hex, null).status()).isEqualTo(200);
    }

    /** BEP 21: libtorrent announces {@code event=paused} while it is a partial seed. */
    @Test
    void pausedAnnounceIsServedAsARegularOne() throws Exception {
        restart(config().withOpen(true));
        String hash = "%AB".repeat(20);
        announce("/announce?info_hash=" + hash + "&peer_id=-SB0001-aaaaaaaaaaaa&port=7000&left=0");
        BDict paused = announce("/announce?info_hash=" + hash + "&peer_id=-lt0D80-bbbbbbbbbbbb&port=7001&left=10&event=paused");
        assertThat(paused.has("failure reason")).as("reply %s", paused).isFalse();
        assertThat(paused.integer("complete")).contains(1L);
        assertThat(paused.integer("incomplete")).contains(1L);
        assertThat(paused.string("peers")).get().satisfies(p -> assertThat(p.bytes()).containsExactly(127, 0, 0, 1, 0x1b, 0x58));
    }

    @Test
    void openModeAcceptsAnyHashAndExpiresSilentPeers() throws Exception {
        restart(config().withOpen(true));
        String hash = "%AA".repeat(20);
        announce("/announce?info_hash=" + hash + "&peer_id=-SB0001-aaaaaaaaaaaa&port=7000&left=10");
        BDict second = announce("/announce?info_hash=" + hash + "&peer_id=-SB0001-bbbbbbbbbbbb&port=7001&left=10&compact=0");
        assertThat(second.list("peers").orElseThrow().size()).isEqualTo(1);
        assertThat(second.has("sbt secret")).isFalse();
        clock.addAndGet(2 * 60_000 + 11_000); // interval 60 s: expiry after 2 x 60 + 10 s
        BDict third = announce("/announce?info_hash=" + hash + "&peer_id=-SB0001-cccccccccccc&port=7002&left=10");
        assertThat(third.string("peers")).get().extracting(p -> p.length()).isEqualTo(0);
        assertThat(third.integer("incomplete")).contains(1L);
    }

    @Test
    void everythingAcknowledgedSurvivesARestart() throws Exception {
        String token = http.signupAndLogin("alice");
        byte[] torrent = TestTorrents.singleFile("movie.mkv", 100_000);
        Metainfo meta = Metainfo.parse(torrent);
        http.post("/api/torrents", token, "application/x-bittorrent", torrent);
        String passkey = http.get("/api/me", token).field("passkey");
        announce("/announce/" + passkey + "?info_hash=" + TrackerHttp.escape(meta.infoHash().bytes())
                + "&peer_id=-SB0001-aaaaaaaaaaaa&port=7000&left=0&event=completed");
        restart(config());
        JsonObject me = http.get("/api/me", token).json().getAsJsonObject();
        assertThat(me.get("passkey").getAsString()).isEqualTo(passkey);
        JsonObject t = http.get("/api/torrents/" + meta.infoHash().hex(), token).json().getAsJsonObject();
        assertThat(t.get("completed").getAsInt()).isEqualTo(1);
        assertThat(t.get("seeders").getAsInt()).isZero(); // peers live in memory only
        assertThat(http.postJson("/api/login", null, "{\"username\":\"alice\",\"password\":\"correct horse\"}").status()).isEqualTo(200);
    }

    /**
     * Declares a body over the limit and sends only a little of it: the 413 must come back
     * without the server waiting for (or reading) the rest. A raw socket, because an HTTP
     * client that really sends 10 MiB can lose the early reply to a connection reset.
     */
    private String declaredTooBig(String token) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String head = "POST /api/torrents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/x-bittorrent\r\nContent-Length: " + (TorrentApi.MAX_TORRENT_BODY + 1)
                    + "\r\n\r\nd8:announce";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder reply = new StringBuilder();
            byte[] buf = new byte[4096];
            int n;
            while (!reply.toString().endsWith("}") && (n = socket.getInputStream().read(buf)) > 0) {
                reply.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return reply.toString();
        }
    }

    private BDict announce(String pathAndQuery) throws Exception {
        TrackerHttp.Reply r = http.get(pathAndQuery, null);
        assertThat(r.status()).isEqualTo(200);
        return (BDict) BencodeDecoder.decode(r.body());
    }

}
