package simplebt.trackerclient;

import java.time.Instant;

import com.google.gson.annotations.SerializedName;

/** The JSON shapes of the tracker's /api, as records Gson fills in. */
public final class ApiRecords {
    private ApiRecords() {
    }

    /** POST /api/login. */
    public record Login(String token, String username, String expires) {
    }

    /** GET /api/me. */
    public record Me(String username, String passkey, String created, long uploads, String announceUrl) {
    }

    /** One torrent in GET /api/torrents, and GET /api/torrents/{infohash}. */
    public record Torrent(String infoHash, String name, long size, int fileCount, int pieceLength,
                          @SerializedName("private") boolean isPrivate, String uploader, String uploaded,
                          int seeders, int leechers, long completed) {
        public Instant uploadedAt() {
            return Instant.parse(uploaded);
        }
    }

    /** GET /api/stats. */
    public record Stats(int users, int torrents, long seeders, long leechers, long peers, long completed) {
    }
}
