package simplebt.trackerclient;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;

/**
 * The tracker's account and torrent API (/api/...) for the node. Every failure is a
 * {@link TrackerApiException} carrying the server's own error text.
 */
public final class ApiClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * The most of one reply that is read: a .torrent (the tracker keeps at most 10 MiB) or a
     * torrent list, with room to spare. A hostile tracker, or anyone on the path of plain HTTP,
     * could otherwise stream a body until the node runs out of memory.
     */
    static final int MAX_REPLY_BYTES = 32 << 20;
    private static final Gson GSON = new Gson();
    private final URI base;
    private final String token;

    /** @param token the bearer token from {@link #login}, or null when logged out */
    public ApiClient(String baseUrl, String token) {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        try {
            this.base = URI.create(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a tracker URL: " + baseUrl);
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("tracker URL must look like http://HOST:PORT, got " + baseUrl);
        }
        this.token = token; // the HTTP client itself is the process's (SharedHttpClients)
    }

    /** A client for the same tracker and another token. */
    public ApiClient withToken(String newToken) {
        return new ApiClient(base.toString(), newToken);
    }

    public String baseUrl() {
        return base.toString();
    }

    public void signup(String username, String password) throws IOException, InterruptedException {
        send(post("/api/signup", json(Map.of("username", username, "password", password)), "application/json"));
    }

    public ApiRecords.Login login(String username, String password) throws IOException, InterruptedException {
        return parse(send(post("/api/login", json(Map.of("username", username, "password", password)),
                "application/json")), ApiRecords.Login.class);
    }

    public void logout() throws IOException, InterruptedException {
        send(post("/api/logout", new byte[0], "application/json"));
    }

    public ApiRecords.Me me() throws IOException, InterruptedException {
        return parse(send(get("/api/me")), ApiRecords.Me.class);
    }

    /** Uploads a .torrent file's bytes; the tracker answers with what it registered. */
    public ApiRecords.Torrent upload(byte[] torrentFile) throws IOException, InterruptedException {
        return parse(send(post("/api/torrents", torrentFile, "application/x-bittorrent")), ApiRecords.Torrent.class);
    }

    public List<ApiRecords.Torrent> list() throws IOException, InterruptedException {
        byte[] body = send(get("/api/torrents"));
        try {
            List<ApiRecords.Torrent> list = GSON.fromJson(new String(body, StandardCharsets.UTF_8),
                    new TypeToken<List<ApiRecords.Torrent>>() { }.getType());
            return list == null ? List.of() : List.copyOf(list);
        } catch (JsonParseException e) {
            throw new TrackerApiException(200, "tracker sent a torrent list that is not valid JSON");
        }
    }

    public ApiRecords.Torrent details(String infoHashHex) throws IOException, InterruptedException {
        return parse(send(get("/api/torrents/" + checkHex(infoHashHex))), ApiRecords.Torrent.class);
    }

    /** The .torrent file, its announce URL carrying this user's passkey. */
    public byte[] downloadTorrent(String infoHashHex) throws IOException, InterruptedException {
        return send(get("/api/torrents/" + checkHex(infoHashHex) + "/file"));
    }

    public ApiRecords.Stats stats() throws IOException, InterruptedException {
        return parse(send(get("/api/stats")), ApiRecords.Stats.class);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest post(String path, byte[] body, String type) {
        return request(path).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private byte[] send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            // a stream, not ofByteArray: the body is read only up to MAX_REPLY_BYTES
            response = SharedHttpClients.forUri(base, SharedHttpClients.Redirects.NEVER)
                    .send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new TrackerApiException("cannot reach the tracker at " + base + " (is it running?)", e);
        } catch (HttpTimeoutException e) {
            throw new TrackerApiException("the tracker at " + base + " did not answer in time", e);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_REPLY_BYTES + 1);
        }
        if (body.length > MAX_REPLY_BYTES) {
            throw new TrackerApiException(response.statusCode(), "the tracker's reply is larger than "
                    + (MAX_REPLY_BYTES >> 20) + " MiB; stopped reading");
        }
        if (response.statusCode() / 100 != 2) {
            throw new TrackerApiException(response.statusCode(), errorText(response.statusCode(), body));
        }
        return body;
    }

    /** The server's {"error": "..."} text, or a plain description when there is none. */
    private static String errorText(int status, byte[] body) {
        try {
            JsonElement e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            if (e.isJsonObject() && e.getAsJsonObject().has("error")) {
                return e.getAsJsonObject().get("error").getAsString();
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException ignored) {
            // not our tracker's JSON; describe the status instead
        }
        return "tracker answered HTTP " + status;
    }

    private static <T> T parse(byte[] body, Class<T> type) throws TrackerApiException {
        try {
            T value = GSON.fromJson(new String(body, StandardCharsets.UTF_8), type);
            if (value == null) {
                throw new TrackerApiException(200, "tracker sent an empty reply");
            }
            return value;
        } catch (JsonParseException e) {
            throw new TrackerApiException(200, "tracker sent a reply that is not valid JSON");
        }
    }

    private static byte[] json(Object value) {
        return GSON.toJson(value).getBytes(StandardCharsets.UTF_8);
    }

    private static String checkHex(String hex) {
        if (hex == null || hex.length() != 40 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("an info hash is 40 hex digits");
        }
        return hex;
    }

    /** Closes the HTTP client's connections and its selector thread. */
    @Override
    public void close() {
        // nothing of its own to release: the HTTP client is shared (SharedHttpClients)
    }

    @Override
    public String toString() {
        return "ApiClient[" + base + ", " + (token == null ? "logged out" : "logged in") + "]";
    }
}
