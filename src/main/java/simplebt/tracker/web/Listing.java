package simplebt.tracker.web;

import java.util.List;
import java.util.Locale;

/**
 * The home page's view of the torrent list: a name search, a sort column and direction, and a
 * page number, read from the query string (unknown values fall back to the defaults).
 */
record Listing(String search, String sort, boolean descending, int page) {
    static final int PER_PAGE = 50;
    static final int MAX_SEARCH = 200;

    /** One page of results and how many matched in all. */
    record Result(List<Backend.Torrent> rows, int matched, int pages) {
    }

    static Listing from(Form query) {
        String q = query.get("q", "").strip();
        if (q.length() > MAX_SEARCH) {
            q = q.substring(0, MAX_SEARCH);
        }
        String sort = TorrentSnapshot.sortable(query.get("sort", "")) ? query.get("sort") : "uploaded";
        boolean desc = !"asc".equals(query.get("dir"));
        int page = 1;
        try {
            page = Math.max(1, Integer.parseInt(query.get("p", "1")));
        } catch (NumberFormatException e) {
            // page 1
        }
        return new Listing(q, sort, desc, page);
    }

    /** Every word of the search must appear in the name, ignoring case. */
    Result apply(TorrentSnapshot torrents) {
        String[] words = search.toLowerCase(Locale.ROOT).split("\\s+");
        List<Backend.Torrent> all = torrents.sorted(sort, descending);
        List<Backend.Torrent> matched = search.isEmpty() ? all
                : all.stream().filter(t -> matches(t.name().toLowerCase(Locale.ROOT), words)).toList();
        int pages = Math.max(1, (matched.size() + PER_PAGE - 1) / PER_PAGE);
        int p = Math.min(page, pages);
        int from = (p - 1) * PER_PAGE;
        return new Result(matched.subList(from, Math.min(matched.size(), from + PER_PAGE)), matched.size(), pages);
    }

    private static boolean matches(String name, String[] words) {
        for (String w : words) {
            if (!w.isEmpty() && !name.contains(w)) {
                return false;
            }
        }
        return true;
    }

    /** The query string for this listing with another sort, direction or page. */
    String query(String sortBy, boolean desc, int pageNo) {
        StringBuilder q = new StringBuilder("?");
        if (!search.isEmpty()) {
            q.append("q=").append(java.net.URLEncoder.encode(search, java.nio.charset.StandardCharsets.UTF_8)).append('&');
        }
        q.append("sort=").append(sortBy).append("&dir=").append(desc ? "desc" : "asc");
        if (pageNo > 1) {
            q.append("&p=").append(pageNo);
        }
        return q.toString();
    }
}
