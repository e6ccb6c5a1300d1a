package simplebt.tracker;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;

/**
 * /api/torrents (upload, list, details, .torrent download) and /api/stats. On a private
 * tracker the list and the details are for members only (they name info hashes and
 * uploaders); an {@code --open} tracker shows them to anyone. /api/stats gives only totals.
 */
final class TorrentApi {
    /** Plenty for any real .torrent (a 64 GiB torrent with 256 KiB pieces is ~5 MiB). */
    static final int MAX_TORRENT_BODY = 10 << 20;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?");
    private final TorrentRegistry registry;
    private final AnnounceService announces;
    private final Swarms swarms;
    private final Accounts accounts;
    private final Auth auth;
    private final boolean open;

    TorrentApi(TorrentRegistry registry, AnnounceService announces, Swarms swarms, Accounts accounts, Auth auth,
               boolean open) {
        this.registry = registry;
        this.announces = announces;
        this.swarms = swarms;
        this.accounts = accounts;
        this.auth = auth;
        this.open = open;
    }

    void register(ApiRouter router) {
        router.add("GET", "/api/torrents", (ex, m) -> list(ex))
                .add("POST", "/api/torrents", (ex, m) -> upload(ex))
                .add("GET", "/api/torrents/([^/]+)", (ex, m) -> details(ex, m.group(1)))
                .add("GET", "/api/torrents/([^/]+)/file", (ex, m) -> file(ex, m.group(1)))
                .add("GET", "/api/stats", (ex, m) -> stats());
    }

    private ApiReply list(HttpExchange ex) throws ApiException {
        requireMemberUnlessOpen(ex);
        return ApiReply.ok(registry.list().stream().map(this::view).toList());
    }

    private ApiReply details(HttpExchange ex, String hex) throws ApiException {
        requireMemberUnlessOpen(ex);
        return ApiReply.ok(view(find(hex)));
    }

    private void requireMemberUnlessOpen(HttpExchange ex) throws ApiException {
        if (!open) {
            auth.require(ex);
        }
    }

    private ApiReply upload(HttpExchange ex) throws ApiException, IOException {
        Account a = auth.require(ex);
        HttpIO.requireType(ex, "application/x-bittorrent", "application/octet-stream");
        byte[] raw = HttpIO.body(ex, MAX_TORRENT_BODY);
        Metainfo meta;
        try {
            meta = Metainfo.parse(raw);
        } catch (MetainfoException e) {
            throw new ApiException(400, "not a valid .torrent: " + e.getMessage());
        }
        return ApiReply.json(201, view(registry.register(meta, a.username())));
    }

    private ApiReply file(HttpExchange ex, String hex) throws ApiException, IOException {
        Account a = auth.require(ex);
        TorrentEntry e = find(hex);
        byte[] raw = registry.torrentFile(InfoHash.fromHex(e.infoHash()));
        try {
            byte[] stamped = Metainfo.parse(raw).withAnnounce(announceUrl(ex, a.passkey()));
            return ApiReply.torrent(stamped, e.infoHash() + ".torrent");
        } catch (MetainfoException bad) {
            throw new IOException("stored torrent " + e.infoHash() + " no longer parses: " + bad.getMessage(), bad);
        }
    }

    private ApiReply stats() {
        long[] totals = swarms.totals();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", accounts.count());
        out.put("torrents", registry.count());
        out.put("seeders", totals[0]);
        out.put("leechers", totals[1]);
        out.put("peers", totals[0] + totals[1]);
        out.put("completed", registry.list().stream().mapToLong(TorrentEntry::completed).sum());
        return ApiReply.ok(out);
    }

    private TorrentEntry find(String hex) throws ApiException {
        InfoHash hash;
        try {
            hash = InfoHash.fromHex(hex.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "an info hash is 40 hex digits, got '" + shorten(hex) + "'");
        }
        return registry.get(hash).orElseThrow(() -> new ApiException(404, "no torrent with info hash " + hash.hex()));
    }

    private Map<String, Object> view(TorrentEntry e) {
        TrackedSwarm.Counts c = announces.counts(InfoHash.fromHex(e.infoHash()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("infoHash", e.infoHash());
        out.put("name", e.name());
        out.put("size", e.size());
        out.put("fileCount", e.fileCount());
        out.put("pieceLength", e.pieceLength());
        out.put("private", e.isPrivate());
        out.put("uploader", e.uploader());
        out.put("uploaded", Instant.ofEpochSecond(e.uploaded()).toString());
        out.put("seeders", c.complete());
        out.put("leechers", c.incomplete());
        out.put("completed", e.completed());
        return out;
    }

    /**
     * The caller's announce URL on the host they reached us by (Host header, checked). The
     * passkey goes in the query, not the path: libtorrent's SSRF mitigation refuses trackers
     * on localhost whose path is not exactly /announce, and every client appends its own
     * parameters to an existing query with '&'. /announce/PASSKEY is accepted too.
     */
    static String announceUrl(HttpExchange ex, String passkey) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !HOST.matcher(host).matches()) {
            java.net.InetAddress local = ex.getLocalAddress().getAddress();
            String ip = local.getHostAddress().replaceAll("%.*", "");
            host = (local instanceof java.net.Inet6Address ? "[" + ip + "]" : ip) + ":" + ex.getLocalAddress().getPort();
        }
        return "http://" + host + "/announce?passkey=" + passkey;
    }

    private static String shorten(String s) {
        return s.length() > 50 ? s.substring(0, 50) + "..." : s;
    }
}
