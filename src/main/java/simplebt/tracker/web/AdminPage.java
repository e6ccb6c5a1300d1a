package simplebt.tracker.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The first account's page: every user (disable, enable, delete) and the torrents (delete). */
final class AdminPage {
    private static final Map<String, String> DONE = Map.of(
            "disable", "The user is disabled and logged out everywhere.",
            "enable", "The user is enabled again.",
            "delete", "The user is deleted; their uploads stay.",
            "torrent", "The torrent is deleted.");

    void register(Site site) {
        site.add("GET", "/admin", (w, m) -> page(w))
                .add("POST", "/admin/user", (w, m) -> user(w))
                .add("POST", "/admin/torrent", (w, m) -> torrent(w));
    }

    private static Backend.Member requireAdmin(WebExchange w) throws SiteException {
        Backend.Member me = w.requireMember();
        if (!me.admin()) {
            throw new SiteException(403, "Only the tracker's admin (its first account) may open this page.");
        }
        return me;
    }

    private void page(WebExchange w) throws SiteException, IOException {
        Backend.Member me = requireAdmin(w);
        String csrf = w.csrfToken();
        List<Html> users = new ArrayList<>();
        for (Backend.Member u : w.backend().members()) {
            boolean self = u.username().equalsIgnoreCase(me.username());
            users.add(w.render("admin-user", Map.of("name", u.username(), "created", Formats.date(u.created()),
                    "state", u.admin() ? "admin" : u.disabled() ? "disabled" : "active",
                    "actions", self ? Html.EMPTY : w.render("admin-user-actions", Map.of("name", u.username(), "csrf", csrf,
                            "toggle", u.disabled() ? "enable" : "disable", "label", u.disabled() ? "Enable" : "Disable")))));
        }
        Listing listing = Listing.from(w.query());
        Listing.Result result = listing.apply(w.site().torrents());
        List<Html> torrents = new ArrayList<>();
        for (Backend.Torrent t : result.rows()) {
            torrents.add(w.render("admin-torrent", Map.of("hash", t.infoHash(), "name", t.name(), "uploader", t.uploader(),
                    "date", Formats.date(t.uploaded()), "csrf", csrf)));
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("users", Html.join(users));
        v.put("usercount", users.size());
        v.put("torrents", Html.join(torrents));
        v.put("torrentcount", result.matched());
        v.put("shown", result.rows().size());
        v.put("q", listing.search());
        String done = DONE.get(w.query().get("done", ""));
        w.page(200, "Admin", done == null ? Html.EMPTY : w.render("notice", Map.of("text", done)), w.render("admin", v));
    }

    private void user(WebExchange w) throws SiteException, IOException {
        Backend.Member me = requireAdmin(w);
        Form f = w.form();
        String name = f.get("name", "");
        String action = f.get("action", "");
        if (name.equalsIgnoreCase(me.username())) {
            throw new SiteException(400, "The admin account cannot disable or delete itself.");
        }
        switch (action) {
            case "disable", "enable" -> {
                w.backend().setDisabled(name, action.equals("disable"));
                if (action.equals("disable")) {
                    w.site().sessions().revokeUser(name, null);
                }
            }
            case "delete" -> {
                w.backend().deleteMember(name);
                w.site().sessions().revokeUser(name, null);
            }
            default -> throw new SiteException(400, "Unknown action.");
        }
        w.redirect("/admin?done=" + action);
    }

    private void torrent(WebExchange w) throws SiteException, IOException {
        requireAdmin(w);
        Form f = w.form();
        w.backend().deleteTorrent(f.get("hash", ""));
        w.redirect("/admin?done=torrent");
    }
}
