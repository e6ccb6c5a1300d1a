package simplebt.tracker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import simplebt.metainfo.Metainfo;
import simplebt.testing.Eventually;
import simplebt.tracker.TestTorrents;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;

/**
 * The site end to end in a real browser: headless Chromium over WebDriver signs up, logs
 * out and in, uploads, finds the upload by search, downloads its .torrent (stamped with the
 * member's passkey), sees a {@code <script>} name as text, and has a form without its CSRF
 * token refused. Screenshots of each page go to build/screenshots/.
 */
class SiteBrowserIT {
    private static final String PASSWORD = "correct horse battery";
    private static final String EVIL = "<script>alert('owned')<img src=x onerror=alert(2)>.iso";
    @TempDir
    Path dir;

    private static Path shots() {
        return Path.of(System.getProperty("simplebt.home", "."), "build", "screenshots");
    }

    @Test
    void signUpUploadSearchDownloadInChromium() throws Exception {
        assumeTrue(Files.isExecutable(WebDriver.CHROMEDRIVER),
                "skipped: /usr/bin/chromedriver is missing (apt-get install chromium chromium-driver, or scripts/install-deps.sh)");
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TrackerConfig config = TrackerConfig.defaults(dir.resolve("data")).withHost("127.0.0.1").withPort(0)
                .withPasswordIterations(1000);
        try (TrackerServer server = TrackerServer.start(config);
             WebDriver b = new WebDriver(dir.resolve("profile"), downloads)) {
            String base = server.baseUrl();
            // Private mode: the list sends a visitor to log in.
            b.open(base + "/");
            assertThat(b.url()).isEqualTo(base + "/login?next=%2F");
            b.screenshot(shots().resolve("01-login.png"));

            b.follow("a.cta");
            assertThat(b.title()).startsWith("Sign up");
            b.type("input[name=username]", "alice");
            b.type("input[name=password]", PASSWORD);
            b.type("input[name=password2]", PASSWORD);
            b.screenshot(shots().resolve("02-signup.png"));
            b.follow("#signup-form button[type=submit]");
            assertThat(b.title()).startsWith("My account");
            String passkey = b.text("#passkey");
            assertThat(passkey).matches("[0-9a-f]{32}");
            assertSessionCookie(b);

            // Log out, then in again through the form.
            b.follow("nav.menu button.link");
            assertThat(b.title()).startsWith("Log in");
            b.type("input[name=username]", "alice");
            b.type("input[name=password]", PASSWORD);
            b.follow("#login-form button[type=submit]");
            assertThat(b.url()).isEqualTo(base + "/");

            // Upload a real-looking torrent, then one whose name is a script.
            Path debian = write(dir.resolve("debian.torrent"), TestTorrents.singleFile("debian-12.5.0-amd64-netinst.iso", 658_505_728));
            String debianHash = Metainfo.parse(Files.readAllBytes(debian)).infoHash().hex();
            b.open(base + "/upload");
            b.type("input[type=file]", debian.toAbsolutePath().toString());
            b.screenshot(shots().resolve("04-upload.png"));
            b.follow("#upload-form button[type=submit]");
            assertThat(b.url()).isEqualTo(base + "/t/" + debianHash + "?uploaded=1");
            assertThat(b.text("h1.tname")).isEqualTo("debian-12.5.0-amd64-netinst.iso");
            b.screenshot(shots().resolve("05-details.png"));

            Path evil = write(dir.resolve("evil.torrent"), TestTorrents.singleFile(EVIL, 1000));
            b.open(base + "/upload");
            b.type("input[type=file]", evil.toAbsolutePath().toString());
            b.follow("#upload-form button[type=submit]");
            assertThat(b.text("h1.tname")).as("the name shows as text").isEqualTo(EVIL);
            assertThat(b.count("h1.tname script, h1.tname img")).as("no element was made from it").isZero();
            assertThat(b.alertOpen()).as("no script ran").isFalse();

            seedListing(base, passkey);

            // Find it by search.
            b.open(base + "/");
            b.screenshot(shots().resolve("03-home.png"));
            b.type("form.search input[name=q]", "debian netinst");
            b.follow("form.search button");
            assertThat(b.url()).isEqualTo(base + "/?q=debian+netinst");
            assertThat(b.count("table.torrents tbody tr")).isEqualTo(1);
            assertThat(b.text("table.torrents tbody tr td.name a")).isEqualTo("debian-12.5.0-amd64-netinst.iso");
            b.screenshot(shots().resolve("06-search.png"));

            // Download: the file Chromium saves carries alice's passkey.
            b.follow("table.torrents tbody tr td.name a");
            b.click("#download");
            Path saved = awaitDownload(downloads);
            Metainfo stamped = Metainfo.parse(Files.readAllBytes(saved));
            assertThat(stamped.infoHash().hex()).isEqualTo(debianHash);
            assertThat(stamped.trackers()).containsExactly(base + "/announce?passkey=" + passkey);

            // The script (allowed by the CSP as a file of our own) sorts a table by a click.
            b.open(base + "/account");
            b.click("table.sortable th:nth-child(2)");
            assertThat(b.text("table.sortable tbody tr:first-child td:first-child")).isEqualTo(EVIL);
            b.click("table.sortable th:nth-child(2)");
            assertThat(b.text("table.sortable tbody tr:first-child td:first-child")).isEqualTo("debian-12.5.0-amd64-netinst.iso");
            b.screenshot(shots().resolve("07-account.png"));
            b.open(base + "/admin");
            assertThat(b.title()).startsWith("Admin");
            b.screenshot(shots().resolve("08-admin.png"));

            // A form stripped of its CSRF token is refused, and nothing changes.
            b.open(base + "/account");
            b.script("document.querySelector('form[action=\"/account/passkey\"] input[name=csrf]').remove();");
            b.follow("form[action=\"/account/passkey\"] button");
            assertThat(b.title()).startsWith("Refused");
            assertThat(b.text("main")).contains("did not come from this site");
            b.screenshot(shots().resolve("09-csrf-refused.png"));
            b.open(base + "/account");
            assertThat(b.text("#passkey")).isEqualTo(passkey);

            // The list on a phone-sized screen.
            b.windowSize(390, 844);
            b.open(base + "/");
            assertThat(b.script("var t = document.querySelector('.table-wrap');"
                    + " return document.documentElement.scrollWidth <= window.innerWidth && t.scrollWidth <= t.clientWidth;")
                    .getAsBoolean()).as("no sideways scrolling on a phone, not even inside the list").isTrue();
            b.screenshot(shots().resolve("10-home-phone.png"));
        }
    }

    private static void assertSessionCookie(WebDriver b) throws Exception {
        Optional<JsonObject> session = Optional.empty();
        for (JsonElement c : b.cookies()) {
            if (c.getAsJsonObject().get("name").getAsString().equals("sbt_session")) {
                session = Optional.of(c.getAsJsonObject());
            }
        }
        assertThat(session).isPresent();
        assertThat(session.get().get("httpOnly").getAsBoolean()).isTrue();
        assertThat(session.get().get("sameSite").getAsString()).isEqualTo("Strict");
        assertThat(b.script("return document.cookie;").getAsString()).as("scripts cannot read it").doesNotContain("sbt_session");
    }

    /** A second member's torrents with peers announcing, so the list looks like a tracker in use. */
    private static void seedListing(String base, String passkey) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String bob = "{\"username\":\"bob\",\"password\":\"" + PASSWORD + "\"}";
        http.send(HttpRequest.newBuilder(URI.create(base + "/api/signup")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(bob)).build(), HttpResponse.BodyHandlers.discarding());
        String token = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(bob)).build(), HttpResponse.BodyHandlers.ofString())
                .body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        List<String> names = List.of("ubuntu-24.04.1-desktop-amd64.iso", "archlinux-2026.12.01-x86_64.iso",
                "Big_Buck_Bunny_1080p.mov", "sintel-4k.mkv", "LibreOffice_25.2_Linux_x86-64_deb.tar.gz");
        int peer = 0;
        for (int i = 0; i < names.size(); i++) {
            byte[] t = TestTorrents.singleFile(names.get(i), 50_000_000L * (i + 3));
            http.send(HttpRequest.newBuilder(URI.create(base + "/api/torrents")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/x-bittorrent").POST(HttpRequest.BodyPublishers.ofByteArray(t)).build(),
                    HttpResponse.BodyHandlers.discarding());
            byte[] hash = Metainfo.parse(t).infoHash().bytes();
            for (int p = 0; p < i + 2; p++, peer++) {
                String peerId = String.format("-SB0001-%012d", peer);
                String left = p % 3 == 0 ? "1000" : "0";
                http.send(HttpRequest.newBuilder(URI.create(base + "/announce?passkey=" + passkey + "&info_hash=" + WebClient.percentEncode(hash)
                        + "&peer_id=" + peerId + "&port=" + (6881 + peer) + "&uploaded=0&downloaded=0&left=" + left
                        + "&compact=1&event=started")).build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    private static Path write(Path file, byte[] data) throws IOException {
        return Files.write(file, data);
    }

    /** Chromium writes a .crdownload first and renames it when done. */
    private static Path awaitDownload(Path downloads) throws Exception {
        Eventually.within(Duration.ofSeconds(20), () -> savedTorrent(downloads).isPresent());
        return savedTorrent(downloads).orElseThrow(() -> new AssertionError("Chromium saved no .torrent in " + downloads + " within 20 s"));
    }

    private static Optional<Path> savedTorrent(Path downloads) throws IOException {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.filter(f -> f.toString().endsWith(".torrent")).findFirst();
        }
    }
}
