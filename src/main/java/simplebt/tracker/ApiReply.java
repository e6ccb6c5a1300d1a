package simplebt.tracker;

import java.nio.charset.StandardCharsets;

/** What an /api endpoint answers: a status and a JSON value, or raw bytes (a .torrent). */
record ApiReply(int status, String contentType, byte[] body, String filename) {
    static ApiReply json(int status, Object value) {
        return new ApiReply(status, HttpIO.JSON, HttpIO.GSON.toJson(value).getBytes(StandardCharsets.UTF_8), null);
    }

    static ApiReply ok(Object value) {
        return json(200, value);
    }

    static ApiReply torrent(byte[] file, String filename) {
        return new ApiReply(200, "application/x-bittorrent", file, filename);
    }
}
