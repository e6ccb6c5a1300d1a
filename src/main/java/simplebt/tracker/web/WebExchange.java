package simplebt.tracker.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;

/**
 * One request to the site and its reply: cookies, the logged-in member, CSRF checks, bounded
 * bodies, and pages in the common layout. Used by the one thread serving the request.
 */
final class WebExchange {
    /** How much of a refused upload is read and dropped so that the 413 reaches the browser. */
    private static final long MAX_DRAIN = 16L << 20;

    /** Form posts are a few short fields; uploads go through {@link #body} with their own limit. */
    static final int MAX_FORM_BODY = 16 * 1024;
    private final HttpExchange ex;
    private final Site site;
    private final Map<String, String> cookies;
    private final Form query;
    private Optional<Backend.Member> member;

    WebExchange(HttpExchange ex, Site site) {
        this.ex = ex;
        this.site = site;
        this.cookies = Cookies.parse(ex.getRequestHeaders().get("Cookie"));
        this.query = Form.parse(ex.getRequestURI().getRawQuery());
    }

    HttpExchange raw() {
        return ex;
    }

    Site site() {
        return site;
    }

    Backend backend() {
        return site.backend();
    }

    String method() {
        return ex.getRequestMethod();
    }

    String path() {
        return ex.getRequestURI().getRawPath();
    }

    Form query() {
        return query;
    }

    InetAddress remote() {
        return ex.getRemoteAddress().getAddress();
    }

    /**
     * Over HTTPS (our own HttpsServer, or a proxy in front saying so): cookies get Secure.
     * A forged X-Forwarded-Proto only makes the forger's own cookie Secure.
     */
    boolean secure() {
        return ex instanceof HttpsExchange || "https".equalsIgnoreCase(ex.getRequestHeaders().getFirst("X-Forwarded-Proto"));
    }

    /** The session cookie's value when it names a live session. */
    Optional<String> sessionId() {
        String id = cookies.get(Cookies.SESSION);
        return site.sessions().user(id).isPresent() ? Optional.of(id) : Optional.empty();
    }

    /** The logged-in, enabled member, if any. */
    Optional<Backend.Member> member() {
        if (member == null) {
            member = site.sessions().user(cookies.get(Cookies.SESSION)).flatMap(site.backend()::member);
        }
        return member;
    }

    /** The member, or 401 (which the site turns into a trip to the login page). */
    Backend.Member requireMember() throws SiteException {
        return member().orElseThrow(() -> new SiteException(401, "log in first"));
    }

    /** May this visitor see the torrent list? In private mode, members only. */
    void requireViewer() throws SiteException {
        if (!backend().openMode()) {
            requireMember();
        }
    }

    /** The token forms on this page carry; before login it makes a visitor cookie if needed. */
    String csrfToken() {
        return site.csrf().token(csrfBasis());
    }

    private String csrfBasis() {
        Optional<String> session = sessionId();
        if (session.isPresent()) {
            return session.get();
        }
        String visitor = cookies.get(Cookies.VISITOR);
        if (visitor == null || !visitor.matches("[A-Za-z0-9_-]{43}")) {
            visitor = site.newId();
            cookies.put(Cookies.VISITOR, visitor);
            ex.getResponseHeaders().add("Set-Cookie", Cookies.set(Cookies.VISITOR, visitor, 30L * 24 * 3600, secure()));
        }
        return visitor;
    }

    /**
     * Refuses (403) a post whose token does not belong to this browser's cookie, or that a
     * page of another origin sent (Origin, where the browser gives one, must be ours).
     */
    void checkCsrf(String posted) throws SiteException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin != null && !origin.equals("null") && (host == null || !host.equalsIgnoreCase(authority(origin)))) {
            throw new SiteException(403, "this form was sent from another site; it was not accepted");
        }
        String session = sessionId().orElse(null);
        String basis = session != null ? session : cookies.get(Cookies.VISITOR);
        if (!site.csrf().valid(basis, posted)) {
            throw new SiteException(403, "this form has expired or did not come from this site; reload the page and try again");
        }
    }

    private static String authority(String origin) {
        try {
            return URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** A url-encoded form post, its CSRF token already checked. */
    Form form() throws SiteException, IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new SiteException(415, "the form must be sent as application/x-www-form-urlencoded");
        }
        Form f = Form.parse(new String(body(MAX_FORM_BODY), StandardCharsets.UTF_8));
        checkCsrf(f.get("csrf"));
        return f;
    }

    /** The request body, refused (413) beyond {@code limit} before or while reading. */
    byte[] body(int limit) throws SiteException, IOException {
        try {
            return RequestBody.read(ex, limit);
        } catch (RequestBody.TooLarge e) {
            throw new SiteException(413, "that is too large: the limit is " + limit / 1024 + " KiB");
        } catch (RequestBody.BadLength e) {
            throw new SiteException(400, "bad Content-Length");
        }
    }

    /** A page in the site's layout. */
    void page(int status, String title, Html content) throws IOException {
        page(status, title, Html.EMPTY, content);
    }

    void page(int status, String title, Html notice, Html content) throws IOException {
        Html html = site.templates().render("layout", Map.of("title", title, "nav", nav(), "notice", notice,
                "content", content));
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(status, "text/html; charset=utf-8", html.markup().getBytes(StandardCharsets.UTF_8));
    }

    Html render(String template, Map<String, ?> values) {
        return site.templates().render(template, values);
    }

    private Html nav() {
        Optional<Backend.Member> m = member();
        if (m.isEmpty()) {
            return render("nav-visitor", Map.of("signup", backend().signupOpen()
                    ? render("nav-signup", Map.of()) : Html.EMPTY));
        }
        return render("nav-member", Map.of("username", m.get().username(), "csrf", csrfToken(),
                "admin", m.get().admin() ? render("nav-admin", Map.of()) : Html.EMPTY));
    }

    /** 303: after a post, the browser fetches the next page with GET (reload does not repost). */
    void redirect(String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        send(303, "text/plain; charset=utf-8", new byte[0]);
    }

    void setCookie(String header) {
        ex.getResponseHeaders().add("Set-Cookie", header);
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        if (status == 413) {
            ex.getResponseHeaders().set("Connection", "close"); // the rest of the body is not read
        }
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.getResponseBody().flush();
        if (status == 413) {
            drainRefusedBody();
        }
        ex.close();
    }

    /**
     * A browser keeps sending an oversized upload after our 413; closing with its bytes unread
     * makes the kernel reset the connection, and the reset can destroy the reply in flight (the
     * user sees "connection reset" instead of "too large"). So the rest is read and dropped, up
     * to a bound: past that, the reset is the lesser cost.
     */
    private void drainRefusedBody() {
        byte[] sink = new byte[64 * 1024];
        long left = MAX_DRAIN;
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the client gave up: nothing to protect any more
        }
    }
}
