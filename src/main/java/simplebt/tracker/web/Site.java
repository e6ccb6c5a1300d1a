package simplebt.tracker.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.Headers;

import simplebt.log.Log;

/**
 * The tracker's web site, served from {@code /} next to /announce, /scrape and /api. Routes
 * each request to a page, adds the security headers every reply carries, and turns refusals
 * into error pages with their status (401 on a GET becomes a trip to the login page).
 */
public final class Site implements HttpHandler {
    /**
     * Scripts only from our own files (no inline script, no eval), nothing from elsewhere, no
     * framing, forms only to ourselves.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** One page: method, path pattern, and what serves it. */
    interface Page {
        void serve(WebExchange w, Matcher path) throws SiteException, IOException, InterruptedException;
    }

    private record Route(String method, Pattern path, Page page) {
    }

    private final Backend backend;
    private final WebSessions sessions;
    private final Csrf csrf;
    private final Templates templates = new Templates();
    private final RandomGenerator random;
    private final List<Route> routes = new ArrayList<>();
    private final TorrentSnapshot torrents;

    public Site(Backend backend, LongSupplier clockMillis) {
        this.backend = backend;
        this.random = new SecureRandom();
        this.sessions = new WebSessions(clockMillis, random);
        this.csrf = new Csrf(random);
        this.torrents = new TorrentSnapshot(backend, clockMillis);
        new BrowsePages().register(this);
        new AccountPages().register(this);
        new UploadPage().register(this);
        new AdminPage().register(this);
        new StaticFiles().register(this);
    }

    Site add(String method, String pathRegex, Page page) {
        routes.add(new Route(method, Pattern.compile(pathRegex), page));
        return this;
    }

    Backend backend() {
        return backend;
    }

    WebSessions sessions() {
        return sessions;
    }

    Csrf csrf() {
        return csrf;
    }

    TorrentSnapshot torrents() {
        return torrents;
    }

    Templates templates() {
        return templates;
    }

    /** 32 random bytes, URL-safe (43 characters). */
    String newId() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            securityHeaders(ex.getResponseHeaders());
            WebExchange w = new WebExchange(ex, this);
            try {
                dispatch(w);
            } catch (SiteException e) {
                refuse(w, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.page(503, "Unavailable", errorPage("Unavailable", "The tracker is shutting down."));
            } catch (IOException | RuntimeException e) {
                Log.warn("web " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + ": " + e);
                Log.debug("details", e);
                w.page(500, "Error", errorPage("Error", "Something went wrong on the tracker; try again later."));
            }
        }
    }

    private static void securityHeaders(Headers h) {
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "same-origin");
    }

    private void dispatch(WebExchange w) throws SiteException, IOException, InterruptedException {
        String path = w.path();
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Matcher m = r.path.matcher(path);
            if (!m.matches()) {
                continue;
            }
            if (r.method.equals(w.method())) {
                r.page.serve(w, m);
                return;
            }
            allowed.add(r.method);
        }
        if (allowed.isEmpty()) {
            throw new SiteException(404, "There is no page at this address.");
        }
        w.raw().getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw new SiteException(405, "This page does not take " + w.method() + " requests.");
    }

    private void refuse(WebExchange w, SiteException e) throws IOException {
        if (e.status() == 401 && w.method().equals("GET")) {
            String next = w.path() + (w.raw().getRequestURI().getRawQuery() == null ? "" : "?" + w.raw().getRequestURI().getRawQuery());
            w.redirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            return;
        }
        String text = e.getMessage().isEmpty() ? "" : Character.toUpperCase(e.getMessage().charAt(0)) + e.getMessage().substring(1);
        w.page(e.status(), titleFor(e.status()), errorPage(titleFor(e.status()), text));
    }

    private Html errorPage(String title, String text) {
        return templates.render("error-page", Map.of("title", title, "text", text));
    }

    private static String titleFor(int status) {
        return switch (status) {
            case 401 -> "Log in first";
            case 403 -> "Refused";
            case 404 -> "Not found";
            case 413 -> "Too large";
            case 429 -> "Too many requests";
            default -> status >= 500 ? "Error" : "Cannot do that";
        };
    }
}
