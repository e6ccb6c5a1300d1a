package simplebt.tracker.web;

import java.io.IOException;

/** The stylesheet and the one script, from the jar. */
final class StaticFiles {
    void register(Site site) {
        site.add("GET", "/static/site\\.css", (w, m) -> serve(w, "static/site.css", "text/css; charset=utf-8"))
                .add("GET", "/static/site\\.js", (w, m) -> serve(w, "static/site.js", "text/javascript; charset=utf-8"));
    }

    private static void serve(WebExchange w, String resource, String type) throws IOException {
        byte[] body = Templates.resource(resource);
        w.raw().getResponseHeaders().set("Cache-Control", "public, max-age=3600");
        w.send(200, type, body);
    }
}
