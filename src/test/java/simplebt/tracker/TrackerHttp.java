package simplebt.tracker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/** Raw HTTP calls to a tracker under test, so tests see exact statuses and bytes. */
final class TrackerHttp {
    record Reply(int status, byte[] body, java.net.http.HttpHeaders headers) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonElement json() {
            return JsonParser.parseString(text());
        }

        String error() {
            return json().getAsJsonObject().get("error").getAsString();
        }

        String field(String name) {
            return json().getAsJsonObject().get(name).getAsString();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    TrackerHttp(String base) {
        this.base = base;
    }

    Reply get(String path, String token) throws IOException, InterruptedException {
        return send(builder(path, token).GET());
    }

    Reply post(String path, String token, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = builder(path, token).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    Reply postJson(String path, String token, String json) throws IOException, InterruptedException {
        return post(path, token, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    Reply method(String method, String path) throws IOException, InterruptedException {
        return send(builder(path, null).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.body(), r.headers());
    }

    String signupAndLogin(String user) throws IOException, InterruptedException {
        String creds = "{\"username\":\"" + user + "\",\"password\":\"correct horse\"}";
        postJson("/api/signup", null, creds);
        return postJson("/api/login", null, creds).field("token");
    }

    /** Percent-encodes every byte, as clients do for info_hash and peer_id. */
    static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append('%').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }
}
