package simplebt.tracker.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import simplebt.testing.Eventually;

/**
 * Headless Chromium driven over the W3C WebDriver protocol (JSON over HTTP to chromedriver),
 * spoken with the JDK's HTTP client: no Selenium. Starts chromedriver on a free 127.0.0.1
 * port and one browser session with a fresh profile; {@link #close()} ends both.
 */
final class WebDriver implements AutoCloseable {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final String base;
    private final String session;

    WebDriver(Path profile, Path downloads) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromedriver.log").toFile()).start();
        base = "http://127.0.0.1:" + port;
        waitUntilReady();
        JsonObject options = new JsonObject();
        options.addProperty("binary", CHROMIUM.toString());
        JsonArray args = new JsonArray();
        for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,900")) {
            args.add(a);
        }
        options.add("args", args);
        JsonObject prefs = new JsonObject();
        prefs.addProperty("download.default_directory", downloads.toAbsolutePath().toString());
        prefs.addProperty("download.prompt_for_download", false);
        options.add("prefs", prefs);
        JsonObject always = new JsonObject();
        always.addProperty("browserName", "chrome");
        always.add("goog:chromeOptions", options);
        JsonObject caps = new JsonObject();
        caps.add("alwaysMatch", always);
        JsonObject body = new JsonObject();
        body.add("capabilities", caps);
        JsonObject created;
        try {
            created = call("POST", "/session", body).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            driver.destroy();
            throw e;
        }
        session = created.get("sessionId").getAsString();
    }

    private void waitUntilReady() throws IOException, InterruptedException {
        IOException[] notYet = {null};
        boolean ready = Eventually.within(Duration.ofSeconds(20), Duration.ofMillis(100), () -> { // each look is an HTTP request
            try {
                return call("GET", "/status", null).getAsJsonObject().get("ready").getAsBoolean();
            } catch (IOException e) {
                if (!driver.isAlive()) {
                    throw new IOException("chromedriver did not start: " + e.getMessage(), e);
                }
                notYet[0] = e;
                return false;
            }
        });
        if (!ready) {
            throw new IOException("chromedriver did not start: " + (notYet[0] == null ? "not ready" : notYet[0].getMessage()), notYet[0]);
        }
    }

    void open(String url) throws IOException, InterruptedException {
        command("POST", "/url", object("url", url));
    }

    String url() throws IOException, InterruptedException {
        return command("GET", "/url", null).getAsString();
    }

    String title() throws IOException, InterruptedException {
        return command("GET", "/title", null).getAsString();
    }

    String source() throws IOException, InterruptedException {
        return command("GET", "/source", null).getAsString();
    }

    /** The element's id, or an IOException naming the selector. */
    String find(String css) throws IOException, InterruptedException {
        JsonObject q = object("using", "css selector");
        q.addProperty("value", css);
        JsonObject found = command("POST", "/element", q).getAsJsonObject();
        if (!found.has(ELEMENT)) {
            throw new IOException("WebDriver found no element id for " + css + ": " + found);
        }
        return found.get(ELEMENT).getAsString();
    }

    int count(String css) throws IOException, InterruptedException {
        JsonObject q = object("using", "css selector");
        q.addProperty("value", css);
        return command("POST", "/elements", q).getAsJsonArray().size();
    }

    void type(String css, String text) throws IOException, InterruptedException {
        command("POST", "/element/" + find(css) + "/value", object("text", text));
    }

    void click(String css) throws IOException, InterruptedException {
        command("POST", "/element/" + find(css) + "/click", new JsonObject());
    }

    /**
     * Clicks something that loads another page and waits until that page has loaded: a
     * WebDriver click may return before the navigation it starts is under way.
     */
    void follow(String css) throws IOException, InterruptedException {
        script("window.sbtOldPage = true;");
        click(css);
        if (!Eventually.within(Duration.ofSeconds(20), Duration.ofMillis(50), // each look is a request to the browser
                () -> script("return window.sbtOldPage === undefined && document.readyState === 'complete';").getAsBoolean())) {
            throw new IOException("clicking " + css + " loaded no new page within 20 s");
        }
    }

    String text(String css) throws IOException, InterruptedException {
        return command("GET", "/element/" + find(css) + "/text", null).getAsString();
    }

    /** Runs a script in the page (WebDriver's own channel, not subject to the page's CSP). */
    JsonElement script(String js) throws IOException, InterruptedException {
        JsonObject s = object("script", js);
        s.add("args", new JsonArray());
        return command("POST", "/execute/sync", s);
    }

    JsonArray cookies() throws IOException, InterruptedException {
        return command("GET", "/cookie", null).getAsJsonArray();
    }

    /** Whether a JavaScript alert is open (an injected script would have opened one). */
    boolean alertOpen() throws InterruptedException {
        try {
            command("GET", "/alert/text", null);
            return true;
        } catch (IOException noAlert) {
            return false;
        }
    }

    void windowSize(int width, int height) throws IOException, InterruptedException {
        JsonObject r = new JsonObject();
        r.addProperty("width", width);
        r.addProperty("height", height);
        command("POST", "/window/rect", r);
    }

    void screenshot(Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(command("GET", "/screenshot", null).getAsString()));
    }

    private JsonElement command(String method, String path, JsonObject body) throws IOException, InterruptedException {
        return call(method, "/session/" + session + path, body);
    }

    private JsonElement call(String method, String path, JsonObject body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            b.header("Content-Type", "application/json; charset=utf-8");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonElement value = JsonParser.parseString(r.body()).getAsJsonObject().get("value");
        if (r.statusCode() != 200) {
            String error = value != null && value.isJsonObject() && value.getAsJsonObject().has("message")
                    ? value.getAsJsonObject().get("message").getAsString() : r.body();
            throw new IOException("WebDriver " + method + " " + path + ": " + r.statusCode() + " " + error.lines().findFirst().orElse(""));
        }
        return value;
    }

    private static JsonObject object(String key, String value) {
        JsonObject o = new JsonObject();
        o.addProperty(key, value);
        return o;
    }

    @Override
    public void close() {
        try {
            call("DELETE", "/session/" + session, null);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the browser is gone already; stopping chromedriver below is what matters
        }
        driver.destroy();
        try {
            if (!driver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            driver.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
