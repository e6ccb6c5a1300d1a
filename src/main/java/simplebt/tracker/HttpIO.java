package simplebt.tracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;

import simplebt.tracker.web.RequestBody;

/** Reading bounded request bodies and writing replies; shared by every handler. */
final class HttpIO {
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    static final String JSON = "application/json; charset=utf-8";

    private HttpIO() {
    }

    /**
     * Writes and flushes the reply before closing: closing first drains any unread request
     * body, and a client still sending a refused (413) body must get the reply before that.
     */
    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.getResponseBody().flush();
        ex.close();
    }

    static void json(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, JSON, GSON.toJson(value).getBytes(StandardCharsets.UTF_8));
    }

    static void error(HttpExchange ex, int status, String message) throws IOException {
        if (status == 413) {
            // The rest of the refused body is not read; the connection cannot be reused.
            ex.getResponseHeaders().set("Connection", "close");
        }
        json(ex, status, Map.of("error", message));
    }

    /**
     * The whole body, refusing (413) anything over {@code limit}: a declared length is checked
     * before reading, and an undeclared (chunked) one is read only up to the limit.
     */
    static byte[] body(HttpExchange ex, int limit) throws ApiException, IOException {
        try {
            return RequestBody.read(ex, limit);
        } catch (RequestBody.TooLarge e) {
            throw new ApiException(413, e.getMessage());
        } catch (RequestBody.BadLength e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    /** A JSON object body (Content-Type application/json, at most {@code limit} bytes). */
    static JsonObject jsonBody(HttpExchange ex, int limit) throws ApiException, IOException {
        requireType(ex, "application/json");
        byte[] raw = body(ex, limit);
        try {
            JsonElement e = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new ApiException(400, "body must be a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ApiException(400, "body is not valid JSON");
        }
    }

    static void requireType(HttpExchange ex, String... accepted) throws ApiException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        for (String a : accepted) {
            if (a.equals(base)) {
                return;
            }
        }
        throw new ApiException(415, "Content-Type must be " + String.join(" or ", accepted)
                + (type == null ? "" : ", got " + type));
    }

    /** A string field of a JSON body, or null when absent or not a string. */
    static String field(JsonObject body, String name) {
        JsonElement e = body.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
