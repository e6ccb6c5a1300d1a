package simplebt.tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.tracker.SignupRate;
import simplebt.tracker.TestTorrents;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;

/** The web site over real HTTP on 127.0.0.1: statuses, cookies, CSRF refusals, escaping, admin. */
class SiteTest {
    private static final String PASSWORD = "correct horse";
    @TempDir
    Path dir;
    private TrackerServer server;

    private WebClient start(TrackerConfig config) throws Exception {
        server = TrackerServer.start(config);
        return new WebClient(server.baseUrl());
    }

    private WebClient start() throws Exception {
        return start(config());
    }

    private TrackerConfig config() {
        return TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0).withPasswordIterations(1000)
                .withSignupRate(new SignupRate(100, 60));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private WebClient member(String name) throws Exception {
        WebClient c = new WebClient(server.baseUrl());
        assertThat(c.signup(name, PASSWORD).status()).isEqualTo(303);
        return c;
    }

    private static String infoHash(byte[] torrent) throws Exception {
        return Metainfo.parse(torrent).infoHash().hex();
    }

    @Test
    void everyPageCarriesTheSecurityHeaders() throws Exception {
        WebClient c = start();
        for (String path : new String[] {"/login", "/signup", "/nowhere", "/static/site.css"}) {
            WebClient.Reply r = c.get(path);
            assertThat(r.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-inline")
                    .contains("frame-ancestors 'none'");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        }
        assertThat(c.get("/nowhere").status()).isEqualTo(404);
        assertThat(c.get("/login").body()).doesNotContain("<script>").contains("<script src=\"/static/site.js\" defer></script>");
    }

    @Test
    void privateModeShowsTheListToMembersOnly() throws Exception {
        WebClient visitor = start();
        WebClient.Reply home = visitor.get("/");
        assertThat(home.status()).isEqualTo(303);
        assertThat(home.header("Location")).isEqualTo("/login?next=%2F");
        assertThat(visitor.get("/live?h=" + "ab".repeat(20)).status()).isEqualTo(303);
        WebClient alice = member("alice");
        assertThat(alice.get("/").status()).isEqualTo(200);
    }

    @Test
    void openModeShowsTheListToEveryoneButDownloadsNeedLogin() throws Exception {
        start(config().withOpen(true));
        WebClient alice = member("alice");
        byte[] torrent = TestTorrents.singleFile("open.iso", 70_000);
        String csrf = alice.get("/upload").csrf();
        assertThat(alice.upload(csrf, "open.torrent", torrent).status()).isEqualTo(303);
        WebClient visitor = new WebClient(server.baseUrl());
        WebClient.Reply home = visitor.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("open.iso");
        assertThat(visitor.get("/t/" + infoHash(torrent)).body()).contains("Log in</a> to download");
        assertThat(visitor.get("/t/" + infoHash(torrent) + "/download").status()).isEqualTo(303);
    }

    @Test
    void signUpLogsInWithAnHttpOnlyStrictCookie() throws Exception {
        WebClient c = start();
        String csrf = c.get("/signup").csrf();
        WebClient.Reply r = c.post("/signup", Map.of("csrf", csrf, "username", "alice", "password", PASSWORD, "password2", PASSWORD));
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/account?done=welcome");
        String cookie = r.setCookies().stream().filter(s -> s.startsWith("sbt_session=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/").doesNotContain("Secure");
        WebClient.Reply account = c.get("/account");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.body()).contains("alice").containsPattern("id=\"passkey\">[0-9a-f]{32}<");
        assertThat(account.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void cookiesAreSecureBehindAnHttpsProxy() throws Exception {
        WebClient c = start();
        c.extraHeaders.put("X-Forwarded-Proto", "https");
        WebClient.Reply r = c.signup("alice", PASSWORD);
        assertThat(r.setCookies()).anyMatch(s -> s.startsWith("sbt_session=") && s.contains("; Secure"));
    }

    @Test
    void aFormPostedWithoutItsCsrfTokenIsRefused() throws Exception {
        WebClient c = start();
        c.get("/login"); // has a visitor cookie, as a real browser would
        WebClient.Reply signup = c.post("/signup", Map.of("username", "mallory", "password", PASSWORD, "password2", PASSWORD));
        assertThat(signup.status()).isEqualTo(403);
        assertThat(signup.body()).contains("did not come from this site");
        assertThat(signup.setCookies()).noneMatch(s -> s.startsWith("sbt_session="));
        assertThat(c.signup("mallory", PASSWORD).status()).as("the same sign-up with its token works").isEqualTo(303);

        byte[] torrent = TestTorrents.singleFile("nocsrf.bin", 50_000);
        assertThat(c.upload(null, "x.torrent", torrent).status()).isEqualTo(403);
        assertThat(c.upload("forged", "x.torrent", torrent).status()).isEqualTo(403);
        assertThat(c.get("/t/" + infoHash(torrent)).status()).as("nothing was registered").isEqualTo(404);
        assertThat(c.post("/account/passkey", Map.of()).status()).isEqualTo(403);
        assertThat(c.post("/logout", Map.of()).status()).isEqualTo(403);
        assertThat(c.get("/account").status()).as("still logged in").isEqualTo(200);
    }

    @Test
    void aTokenFromAnotherBrowserOrAnotherOriginIsRefused() throws Exception {
        start();
        WebClient alice = member("alice");
        WebClient bob = member("bob");
        String bobsToken = bob.get("/account").csrf();
        WebClient.Reply r = alice.post("/account/passkey", Map.of("csrf", bobsToken));
        assertThat(r.status()).isEqualTo(403);
        alice.extraHeaders.put("Origin", "http://evil.example");
        WebClient.Reply cross = alice.post("/account/passkey", Map.of("csrf", alice.get("/account").csrf()));
        assertThat(cross.status()).isEqualTo(403);
        assertThat(cross.body()).contains("from another site");
    }

    @Test
    void attackerChosenNamesAreEscapedEverywhere() throws Exception {
        start();
        WebClient alice = member("alice");
        // A name may not hold '/', so the script tag stays open: it would swallow the page.
        String evil = "<script>alert('x')\"><img src=x onerror=alert(1)>";
        byte[] torrent = TestTorrents.singleFile(evil, 20_000);
        String hash = infoHash(torrent);
        WebClient.Reply up = alice.upload(alice.get("/upload").csrf(), "evil.torrent", torrent);
        assertThat(up.status()).isEqualTo(303);
        String escaped = "&lt;script&gt;alert(&#39;x&#39;)&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";
        for (String page : new String[] {"/", "/t/" + hash, "/account", "/admin"}) {
            String body = alice.get(page).body();
            assertThat(body).as(page).contains(escaped).doesNotContain("<script>alert").doesNotContain("<img src=x");
        }
        String search = alice.get("/?q=%22%3E%3Cscript%3Ealert(2)%3C/script%3E").body();
        assertThat(search).doesNotContain("<script>alert(2)").contains("value=\"&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;\"");
        WebClient.Reply file = alice.get("/t/" + hash + "/download");
        assertThat(file.header("Content-Disposition")).matches("attachment; filename=\"[A-Za-z0-9._ -]+\\.torrent\"");
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        start();
        WebClient alice = member("alice");
        WebClient.Reply form = alice.post("/login", Map.of("csrf", alice.get("/login").csrf(), "username", "x".repeat(20_000)));
        assertThat(form.status()).isEqualTo(413);
        WebClient.Reply upload = alice.upload(alice.get("/upload").csrf(), "big.torrent", new byte[UploadPage.MAX_BODY]);
        assertThat(upload.status()).isEqualTo(413);
        assertThat(upload.body()).contains("too large");
    }

    @Test
    void uploadErrorsFromTheTrackerShowOnTheForm() throws Exception {
        start();
        WebClient alice = member("alice");
        WebClient.Reply bad = alice.upload(alice.get("/upload").csrf(), "junk.torrent", "not bencode".getBytes(StandardCharsets.UTF_8));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("class=\"error\"").contains("not a valid .torrent").contains("id=\"upload-form\"");
        byte[] torrent = TestTorrents.singleFile("twice.iso", 30_000);
        assertThat(alice.upload(alice.get("/upload").csrf(), "a.torrent", torrent).status()).isEqualTo(303);
        WebClient.Reply again = alice.upload(alice.get("/upload").csrf(), "a.torrent", torrent);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("already registered");
    }

    @Test
    void uploadFindDownloadGivesATorrentStampedWithThePasskey() throws Exception {
        start();
        WebClient alice = member("alice");
        byte[] torrent = TestTorrents.singleFile("ubuntu-24.04-desktop-amd64.iso", 123_456);
        String hash = infoHash(torrent);
        WebClient.Reply up = alice.upload(alice.get("/upload").csrf(), "ubuntu.torrent", torrent);
        assertThat(up.header("Location")).isEqualTo("/t/" + hash + "?uploaded=1");
        assertThat(alice.get("/?q=UBUNTU%20desktop").body()).contains("/t/" + hash);
        assertThat(alice.get("/?q=fedora").body()).doesNotContain("/t/" + hash).contains("Nothing matches");
        WebClient.Reply details = alice.get("/t/" + hash);
        assertThat(details.body()).contains("121 KiB").contains("8 of 16.0 KiB").contains(">alice<");
        String passkey = passkey(alice);
        WebClient.Reply file = alice.get("/t/" + hash + "/download");
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.header("Content-Type")).isEqualTo("application/x-bittorrent");
        Metainfo stamped = Metainfo.parse(file.bytes());
        assertThat(stamped.infoHash().hex()).isEqualTo(hash);
        assertThat(stamped.trackers()).containsExactly(server.baseUrl() + "/announce?passkey=" + passkey);
    }

    @Test
    void liveCountsFollowAnnounces() throws Exception {
        start();
        WebClient alice = member("alice");
        byte[] torrent = TestTorrents.singleFile("live.bin", 40_000);
        String hash = infoHash(torrent);
        alice.upload(alice.get("/upload").csrf(), "l.torrent", torrent);
        assertThat(alice.get("/live?h=" + hash + ",nothex," + "0".repeat(40)).body()).isEqualTo("{\"" + hash + "\":[0,0,0]}");
        String infoHash = WebClient.percentEncode(Metainfo.parse(torrent).infoHash().bytes());
        String[][] peers = {{"-SB0001-000000000001", "0", "7001"}, {"-SB0001-000000000002", "5000", "7002"}};
        for (String[] p : peers) { // a seeder (nothing left) and a leecher
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                    + "/announce?passkey=" + passkey(alice) + "&info_hash=" + infoHash + "&peer_id=" + p[0] + "&port=" + p[2]
                    + "&uploaded=0&downloaded=0&left=" + p[1] + "&event=started")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("failure reason");
        }
        assertThat(alice.get("/live?h=" + hash).body()).isEqualTo("{\"" + hash + "\":[1,1,0]}");
        assertThat(alice.get("/t/" + hash).body()).contains("<span class=\"big live-s\">1</span>");
    }

    private static String passkey(WebClient c) throws Exception {
        Matcher m = Pattern.compile("id=\"passkey\">([0-9a-f]{32})<").matcher(c.get("/account").body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void webSessionsAndApiTokensAreSeparate() throws Exception {
        start();
        WebClient alice = member("alice");
        String cookie = alice.cookies.get("sbt_session");
        assertThat(api("GET", "/api/me", cookie, null).statusCode()).isEqualTo(401);
        String token = api("POST", "/api/login", null, "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}")
                .body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        WebClient withToken = new WebClient(server.baseUrl());
        withToken.cookies.put("sbt_session", token);
        assertThat(withToken.get("/account").status()).isEqualTo(303);
        // Logging out of the site leaves the API token alone, and ends the cookie for good.
        assertThat(alice.post("/logout", Map.of("csrf", alice.get("/account").csrf())).status()).isEqualTo(303);
        assertThat(api("GET", "/api/me", token, null).statusCode()).isEqualTo(200);
        WebClient replay = new WebClient(server.baseUrl());
        replay.cookies.put("sbt_session", cookie);
        assertThat(replay.get("/account").status()).isEqualTo(303);
    }

    @Test
    void loginRefusesAWrongPasswordAndStartsAFreshSession() throws Exception {
        start();
        member("alice");
        WebClient c = new WebClient(server.baseUrl());
        WebClient.Reply wrong = c.login("alice", "wrong password");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong username or password");
        WebClient.Reply ok = c.login("alice", PASSWORD);
        assertThat(ok.status()).isEqualTo(303);
        String first = c.cookies.get("sbt_session");
        assertThat(c.login("alice", PASSWORD).status()).isEqualTo(303);
        assertThat(c.cookies.get("sbt_session")).as("a new id at each login").isNotEqualTo(first);
        WebClient old = new WebClient(server.baseUrl());
        old.cookies.put("sbt_session", first);
        assertThat(old.get("/account").status()).isEqualTo(303);
    }

    @Test
    void loginSendsYouBackOnlyToAPageOfThisSite() throws Exception {
        start();
        member("alice");
        WebClient c = new WebClient(server.baseUrl());
        String csrf = c.get("/login?next=//evil.example/").csrf();
        WebClient.Reply r = c.post("/login", Map.of("csrf", csrf, "username", "alice", "password", PASSWORD, "next", "//evil.example/"));
        assertThat(r.header("Location")).isEqualTo("/");
        csrf = c.get("/login").csrf();
        r = c.post("/login", Map.of("csrf", csrf, "username", "alice", "password", PASSWORD, "next", "/upload"));
        assertThat(r.header("Location")).isEqualTo("/upload");
    }

    @Test
    void theSiteSharesTheApisSignupLimit() throws Exception {
        start(config().withSignupRate(new SignupRate(1, 600)));
        assertThat(api("POST", "/api/signup", null, "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}").statusCode())
                .isEqualTo(201);
        WebClient c = new WebClient(server.baseUrl());
        WebClient.Reply r = c.signup("bob", PASSWORD);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.body()).contains("too many sign-ups").contains("id=\"signup-form\"");
    }

    @Test
    void passwordRulesAndTakenNamesShowOnTheForm() throws Exception {
        start();
        member("alice");
        WebClient c = new WebClient(server.baseUrl());
        WebClient.Reply taken = c.signup("ALICE", PASSWORD);
        assertThat(taken.status()).isEqualTo(409);
        WebClient.Reply shortPw = c.signup("carol", "short");
        assertThat(shortPw.status()).isEqualTo(400);
        assertThat(shortPw.body()).contains("at least 8 characters").contains("value=\"carol\"");
    }

    @Test
    void accountPageChangesPasskeyAndPassword() throws Exception {
        start();
        WebClient alice = member("alice");
        String before = passkey(alice);
        assertThat(alice.post("/account/passkey", Map.of("csrf", alice.get("/account").csrf())).status()).isEqualTo(303);
        assertThat(passkey(alice)).isNotEqualTo(before).hasSize(32);
        WebClient other = new WebClient(server.baseUrl());
        assertThat(other.login("alice", PASSWORD).status()).isEqualTo(303);

        String csrf = alice.get("/account").csrf();
        WebClient.Reply wrong = alice.post("/account/password", Map.of("csrf", csrf, "old", "not it at all", "new", "battery staple", "new2", "battery staple"));
        assertThat(wrong.status()).isEqualTo(403);
        WebClient.Reply ok = alice.post("/account/password", Map.of("csrf", csrf, "old", PASSWORD, "new", "battery staple", "new2", "battery staple"));
        assertThat(ok.status()).isEqualTo(303);
        assertThat(alice.get("/account").status()).as("this browser stays in").isEqualTo(200);
        assertThat(other.get("/account").status()).as("other browsers are logged out").isEqualTo(303);
        assertThat(new WebClient(server.baseUrl()).login("alice", "battery staple").status()).isEqualTo(303);
    }

    @Test
    void theFirstAccountAdministersUsersAndTorrents() throws Exception {
        start();
        WebClient admin = member("admin");
        WebClient bob = member("bob");
        String token = api("POST", "/api/login", null, "{\"username\":\"bob\",\"password\":\"" + PASSWORD + "\"}")
                .body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        assertThat(bob.get("/admin").status()).isEqualTo(403);
        assertThat(bob.get("/").body()).doesNotContain("href=\"/admin\"");
        WebClient.Reply page = admin.get("/admin");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(">bob<");

        String csrf = page.csrf();
        assertThat(admin.post("/admin/user", Map.of("csrf", csrf, "name", "bob", "action", "disable")).status()).isEqualTo(303);
        assertThat(bob.get("/account").status()).as("bob's web session ended").isEqualTo(303);
        assertThat(api("GET", "/api/me", token, null).statusCode()).as("bob's API token ended").isEqualTo(401);
        assertThat(new WebClient(server.baseUrl()).login("bob", PASSWORD).status()).isEqualTo(401);
        assertThat(admin.post("/admin/user", Map.of("csrf", csrf, "name", "bob", "action", "enable")).status()).isEqualTo(303);
        assertThat(new WebClient(server.baseUrl()).login("bob", PASSWORD).status()).isEqualTo(303);
        assertThat(admin.post("/admin/user", Map.of("csrf", csrf, "name", "admin", "action", "delete")).status()).isEqualTo(400);
        assertThat(admin.post("/admin/user", Map.of("csrf", csrf, "name", "bob", "action", "delete")).status()).isEqualTo(303);
        assertThat(new WebClient(server.baseUrl()).login("bob", PASSWORD).status()).isEqualTo(401);

        byte[] torrent = TestTorrents.singleFile("doomed.bin", 40_000);
        admin.upload(admin.get("/upload").csrf(), "d.torrent", torrent);
        String hash = infoHash(torrent);
        assertThat(admin.post("/admin/torrent", Map.of("csrf", csrf, "hash", hash)).status()).isEqualTo(303);
        assertThat(admin.get("/t/" + hash).status()).isEqualTo(404);
        // Private mode: the API shows details to members only, so ask as the admin.
        String adminToken = api("POST", "/api/login", null, "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}")
                .body().replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertThat(api("GET", "/api/torrents/" + hash, adminToken, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theListSortsAndPages() throws Exception {
        start();
        WebClient alice = member("alice");
        for (int i = 0; i < 52; i++) {
            String csrf = alice.get("/upload").csrf();
            assertThat(alice.upload(csrf, "t.torrent", TestTorrents.singleFile(String.format("file-%02d.bin", i), 1000 + i)).status())
                    .isEqualTo(303);
        }
        String bySizeAsc = alice.get("/?sort=size&dir=asc").body();
        assertThat(bySizeAsc).contains("52 torrents").contains("Page 1 of 2").contains("file-00.bin").doesNotContain("file-51.bin");
        assertThat(bySizeAsc.indexOf("file-00.bin")).isLessThan(bySizeAsc.indexOf("file-01.bin"));
        String page2 = alice.get("/?sort=size&dir=asc&p=2").body();
        assertThat(page2).contains("file-50.bin").contains("file-51.bin").doesNotContain("file-00.bin");
        String byNameDesc = alice.get("/?sort=name&dir=desc").body();
        assertThat(byNameDesc.indexOf("file-51.bin")).isLessThan(byNameDesc.indexOf("file-50.bin"));
    }

    private java.net.http.HttpResponse<String> api(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
