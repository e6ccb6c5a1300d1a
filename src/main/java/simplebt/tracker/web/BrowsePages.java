package simplebt.tracker.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import simplebt.tracker.web.Backend.Torrent;

/** The torrent list (search, sort, pages), a torrent's details, its .torrent, and live counts. */
final class BrowsePages {
    static final String HASH = "([0-9a-fA-F]{40})";
    /** Files shown on a details page; a torrent may list tens of thousands. */
    static final int MAX_FILES_SHOWN = 1000;
    /** Info hashes one live-count request may ask about (a page shows 50). */
    static final int MAX_LIVE = 200;
    private static final String[][] COLUMNS = {
        {"name", "Name", "name"}, {"size", "Size", "num wide"}, {"seeders", "Seeders", "num"},
        {"leechers", "Leechers", "num"}, {"completed", "Completed", "num wide"}, {"uploader", "Uploaded by", "wide"},
        {"uploaded", "Date", "wide"},
    };

    void register(Site site) {
        site.add("GET", "/", (w, m) -> home(w))
                .add("GET", "/t/" + HASH, (w, m) -> details(w, m))
                .add("GET", "/t/" + HASH + "/download", (w, m) -> download(w, m))
                .add("GET", "/live", (w, m) -> live(w));
    }

    private void home(WebExchange w) throws SiteException, IOException {
        w.requireViewer();
        Listing listing = Listing.from(w.query());
        Listing.Result result = listing.apply(w.site().torrents());
        List<Html> rows = new ArrayList<>();
        for (Torrent t : result.rows()) {
            rows.add(w.render("home-row", Map.of("hash", t.infoHash(), "name", t.name(), "size", Formats.size(t.size()),
                    "seeders", t.seeders(), "leechers", t.leechers(), "completed", t.completed(),
                    "uploader", t.uploader(), "date", Formats.date(t.uploaded()))));
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("q", listing.search());
        v.put("matched", result.matched() + (result.matched() == 1 ? " torrent" : " torrents")
                + (listing.search().isEmpty() ? "" : " match \u201c" + listing.search() + "\u201d"));
        v.put("headers", headers(w, listing));
        v.put("rows", Html.join(rows));
        v.put("empty", result.matched() == 0 ? w.render("message", Map.of("text", listing.search().isEmpty()
                ? "No torrents yet." : "Nothing matches that search.")) : Html.EMPTY);
        v.put("pager", pager(w, listing, result.pages()));
        w.page(200, "Torrents", w.render("home", v));
    }

    private static Html headers(WebExchange w, Listing listing) {
        List<Html> cells = new ArrayList<>();
        for (String[] c : COLUMNS) {
            boolean current = c[0].equals(listing.sort());
            // A click on the current column flips it; on another, numbers and dates start high.
            boolean desc = current ? !listing.descending() : !c[0].equals("name") && !c[0].equals("uploader");
            cells.add(w.render("th-sort", Map.of("cls", c[2], "href", "/" + listing.query(c[0], desc, 1),
                    "label", c[1], "key", c[0],
                    "sort", current ? (listing.descending() ? "descending" : "ascending") : "none",
                    "arrow", current ? (listing.descending() ? " \u25BE" : " \u25B4") : "")));
        }
        return Html.join(cells);
    }

    private static Html pager(WebExchange w, Listing listing, int pages) {
        if (pages <= 1) {
            return Html.EMPTY;
        }
        int p = Math.min(listing.page(), pages);
        return w.render("pager", Map.of(
                "prev", p > 1 ? w.render("pager-link", Map.of("href", "/" + listing.query(listing.sort(), listing.descending(), p - 1), "label", "\u2039 Newer")) : Html.EMPTY,
                "next", p < pages ? w.render("pager-link", Map.of("href", "/" + listing.query(listing.sort(), listing.descending(), p + 1), "label", "Older \u203A")) : Html.EMPTY,
                "page", p, "pages", pages));
    }

    private void details(WebExchange w, Matcher m) throws SiteException, IOException {
        w.requireViewer();
        Backend.Details d = w.backend().details(m.group(1)).orElseThrow(() -> new SiteException(404, "No torrent has that info hash."));
        Torrent t = d.torrent();
        List<Html> files = new ArrayList<>();
        for (Backend.FileRow f : d.files().subList(0, Math.min(d.files().size(), MAX_FILES_SHOWN))) {
            files.add(w.render("file-row", Map.of("path", f.path(), "size", Formats.size(f.length()), "bytes", f.length())));
        }
        int hidden = d.files().size() - files.size();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("hash", t.infoHash());
        v.put("name", t.name());
        v.put("size", Formats.size(t.size()));
        v.put("files", t.fileCount() + (t.fileCount() == 1 ? " file" : " files"));
        v.put("pieces", d.pieceCount());
        v.put("piecelength", Formats.size(d.pieceLength()));
        v.put("uploader", t.uploader());
        v.put("date", Formats.date(t.uploaded()));
        v.put("private", d.isPrivate() ? "yes (no DHT or peer exchange)" : "no");
        v.put("seeders", t.seeders());
        v.put("leechers", t.leechers());
        v.put("completed", t.completed());
        v.put("download", w.member().isPresent() ? w.render("download-button", Map.of("hash", t.infoHash()))
                : w.render("download-login", Map.of("hash", t.infoHash())));
        v.put("filerows", Html.join(files));
        v.put("more", hidden > 0 ? w.render("message", Map.of("text", "and " + hidden + " more files")) : Html.EMPTY);
        Html notice = "1".equals(w.query().get("uploaded"))
                ? w.render("notice", Map.of("text", "Uploaded. Download your copy below and seed it.")) : Html.EMPTY;
        w.page(200, t.name(), notice, w.render("torrent", v));
    }

    private void download(WebExchange w, Matcher m) throws SiteException, IOException {
        Backend.Member me = w.requireMember();
        Torrent t = w.backend().torrent(m.group(1)).orElseThrow(() -> new SiteException(404, "No torrent has that info hash."));
        byte[] file = w.backend().stampedTorrent(t.infoHash(), w.backend().announceUrl(w.raw(), me.passkey()));
        w.raw().getResponseHeaders().set("Content-Disposition",
                "attachment; filename=\"" + Formats.fileName(t.name(), t.infoHash()) + "\"");
        w.raw().getResponseHeaders().set("Cache-Control", "no-store");
        w.send(200, "application/x-bittorrent", file);
    }

    /** {"<info hash>": [seeders, leechers, completed], ...} for the script that keeps counts live. */
    private void live(WebExchange w) throws SiteException, IOException {
        w.requireViewer();
        StringBuilder json = new StringBuilder("{");
        int n = 0;
        for (String hex : w.query().get("h", "").split(",")) {
            if (n >= MAX_LIVE || !hex.matches(HASH)) {
                continue;
            }
            var t = w.backend().torrent(hex);
            if (t.isPresent()) {
                json.append(n++ == 0 ? "" : ",").append('"').append(t.get().infoHash()).append("\":[")
                        .append(t.get().seeders()).append(',').append(t.get().leechers()).append(',')
                        .append(t.get().completed()).append(']');
            }
        }
        w.raw().getResponseHeaders().set("Cache-Control", "no-store");
        w.send(200, "application/json; charset=utf-8", json.append('}').toString().getBytes(StandardCharsets.UTF_8));
    }
}
