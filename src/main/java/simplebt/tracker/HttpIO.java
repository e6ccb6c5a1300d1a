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
        closeIfAsked(ex);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.getResponseBody().flush();
        ex.close();
    }

    /**
     * RFC 9112 section 9.6: a server that closes the connection because the request said
     * {@code Connection: close} should say so in its reply. The JDK closes but does not say
     * it, so an HTTP/1.1 client takes the connection for open, sends its next request into
     * it and only learns from the reset (wrk counts one read error per announce).
     */
    static void closeIfAsked(HttpExchange ex) {
        String connection = ex.getRequestHeaders().getFirst("Connection");
        if (connection != null && connection.trim().equalsIgnoreCase("close")) {
            ex.getResponseHeaders().set("Connection", "close");
        }
    }

    /**
     * Reads a request without a body to its end. Otherwise the JDK, closing the exchange,
     * "drains" the empty body through a fresh 2 KiB buffer, one more allocation per request
     * (bench/tracker/NOTES.md). A request that declares a body is left to the JDK as before.
     */
    static void readEmptyBody(HttpExchange ex) throws IOException {
        var headers = ex.getRequestHeaders();
        String length = headers.getFirst("Content-Length");
        if (!headers.containsKey("Transfer-Encoding") && (length == null || length.equals("0"))) {
            ex.getRequestBody().read();
        }
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
