package simplebt.tracker.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sign-up, log in, log out, and the member's own page (passkey, uploads, password, sessions). */
final class AccountPages {
    private static final Map<String, String> DONE = Map.of(
            "welcome", "Welcome! Your account is ready and you are logged in.",
            "passkey", "You have a new passkey. Download your .torrent files again: the old ones stop working.",
            "password", "Your password is changed. Other browsers were logged out.",
            "sessions", "Every other browser is logged out.");

    void register(Site site) {
        site.add("GET", "/signup", (w, m) -> signupForm(w, 200, "", Html.EMPTY))
                .add("POST", "/signup", (w, m) -> signup(w))
                .add("GET", "/login", (w, m) -> loginForm(w, 200, "", Html.EMPTY))
                .add("POST", "/login", (w, m) -> login(w))
                .add("POST", "/logout", (w, m) -> logout(w))
                .add("GET", "/account", (w, m) -> account(w, 200, Html.EMPTY))
                .add("POST", "/account/passkey", (w, m) -> passkey(w))
                .add("POST", "/account/password", (w, m) -> password(w))
                .add("POST", "/account/sessions", (w, m) -> otherSessions(w));
    }

    private void signupForm(WebExchange w, int status, String username, Html error) throws IOException, SiteException {
        if (!w.backend().signupOpen()) {
            throw new SiteException(403, "Sign-up is closed on this tracker.");
        }
        w.page(status, "Sign up", w.render("signup", Map.of("csrf", w.csrfToken(), "username", username, "error", error)));
    }

    private void signup(WebExchange w) throws SiteException, IOException {
        Form f = w.form();
        String username = f.get("username", "").strip();
        String password = f.get("password", "");
        if (!password.equals(f.get("password2", ""))) {
            signupForm(w, 400, username, error(w, "The two passwords differ."));
            return;
        }
        Backend.Member m;
        try {
            m = w.backend().signup(username, password, w.remote());
        } catch (SiteException e) {
            signupForm(w, e.status(), username, error(w, e.getMessage())); // a 429 says how long to wait
            return;
        }
        startSession(w, m.username());
        w.redirect("/account?done=welcome");
    }

    private void loginForm(WebExchange w, int status, String username, Html error) throws IOException {
        String next = safeNext(w.query().get("next"));
        w.page(status, "Log in", w.render("login", Map.of("csrf", w.csrfToken(), "username", username, "error", error,
                "next", next, "signup", w.backend().signupOpen() ? w.render("login-signup", Map.of()) : Html.EMPTY)));
    }

    private void login(WebExchange w) throws SiteException, IOException, InterruptedException {
        Form f = w.form();
        String username = f.get("username", "").strip();
        Optional<Backend.Member> m;
        try {
            m = username.isEmpty() ? Optional.empty()
                    : w.backend().login(username, f.get("password", ""), w.remote());
        } catch (SiteException refused) { // too many attempts: say so on the form, with its status
            loginForm(w, refused.status(), username, error(w, refused.getMessage()));
            return;
        }
        if (m.isEmpty()) {
            loginForm(w, 401, username, error(w, "Wrong username or password."));
            return;
        }
        startSession(w, m.get().username());
        w.redirect(safeNext(f.get("next")));
    }

    /** A new session id at every login, so an id planted before login is worth nothing after. */
    private static void startSession(WebExchange w, String username) {
        w.sessionId().ifPresent(w.site().sessions()::revoke);
        String id = w.site().sessions().create(username);
        w.setCookie(Cookies.set(Cookies.SESSION, id, WebSessions.TTL_MILLIS / 1000, w.secure()));
    }

    private void logout(WebExchange w) throws SiteException, IOException {
        w.form();
        w.sessionId().ifPresent(w.site().sessions()::revoke);
        w.setCookie(Cookies.set(Cookies.SESSION, "", 0, w.secure()));
        w.redirect("/login");
    }

    private void account(WebExchange w, int status, Html error) throws SiteException, IOException {
        Backend.Member me = w.requireMember();
        List<Html> rows = new ArrayList<>();
        for (Backend.Torrent t : w.backend().torrents()) {
            if (t.uploader().equalsIgnoreCase(me.username())) {
                rows.add(w.render("upload-row", Map.of("hash", t.infoHash(), "name", t.name(), "size", Formats.size(t.size()),
                        "bytes", t.size(), "seeders", t.seeders(), "leechers", t.leechers(), "completed", t.completed(),
                        "date", Formats.date(t.uploaded()))));
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("username", me.username());
        v.put("created", Formats.date(me.created()));
        v.put("passkey", me.passkey());
        v.put("announce", w.backend().announceUrl(w.raw(), me.passkey()));
        v.put("uploads", rows.size());
        v.put("rows", Html.join(rows));
        v.put("sessions", w.site().sessions().count(me.username()));
        v.put("csrf", w.csrfToken());
        v.put("error", error);
        String done = DONE.get(w.query().get("done", ""));
        w.page(status, "My account", done == null ? Html.EMPTY : w.render("notice", Map.of("text", done)), w.render("account", v));
    }

    private void passkey(WebExchange w) throws SiteException, IOException {
        Backend.Member me = w.requireMember();
        w.form();
        w.backend().regeneratePasskey(me.username());
        w.redirect("/account?done=passkey");
    }

    private void password(WebExchange w) throws SiteException, IOException, InterruptedException {
        Backend.Member me = w.requireMember();
        Form f = w.form();
        String fresh = f.get("new", "");
        if (!fresh.equals(f.get("new2", ""))) {
            account(w, 400, error(w, "The two new passwords differ."));
            return;
        }
        try {
            w.backend().changePassword(me.username(), f.get("old", ""), fresh, w.remote());
        } catch (SiteException e) {
            account(w, e.status(), error(w, e.getMessage()));
            return;
        }
        w.site().sessions().revokeUser(me.username(), w.sessionId().orElse(null));
        w.redirect("/account?done=password");
    }

    private void otherSessions(WebExchange w) throws SiteException, IOException {
        Backend.Member me = w.requireMember();
        w.form();
        w.site().sessions().revokeUser(me.username(), w.sessionId().orElse(null));
        w.redirect("/account?done=sessions");
    }

    static Html error(WebExchange w, String text) {
        return w.render("form-error", Map.of("text", text));
    }

    /** Only a path on this site: no scheme, no host, no "//" (which a browser reads as a host). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || !next.matches("[A-Za-z0-9/_.?=&%+-]{1,300}")) {
            return "/";
        }
        return next;
    }
}
