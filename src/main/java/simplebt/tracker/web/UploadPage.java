package simplebt.tracker.web;

import java.io.IOException;
import java.util.Map;

/** The upload form: a .torrent file in, the tracker's own validation errors shown on the form. */
final class UploadPage {
    /** As the API: plenty for any real .torrent (a 64 GiB torrent with 256 KiB pieces is ~5 MiB). */
    static final int MAX_TORRENT = 10 << 20;
    /** Room for the form's other fields and the multipart framing around the file. */
    static final int MAX_BODY = MAX_TORRENT + 64 * 1024;

    void register(Site site) {
        site.add("GET", "/upload", (w, m) -> {
            w.requireMember();
            form(w, 200, Html.EMPTY);
        }).add("POST", "/upload", (w, m) -> upload(w));
    }

    private void form(WebExchange w, int status, Html error) throws IOException {
        w.page(status, "Upload", w.render("upload", Map.of("csrf", w.csrfToken(), "error", error,
                "limit", Formats.size(MAX_TORRENT))));
    }

    private void upload(WebExchange w) throws SiteException, IOException {
        Backend.Member me = w.requireMember(); // before reading a byte of the body
        Map<String, Multipart.Part> parts = Multipart.parse(w.raw().getRequestHeaders().getFirst("Content-Type"), w.body(MAX_BODY));
        Multipart.Part csrf = parts.get("csrf");
        w.checkCsrf(csrf == null ? null : csrf.text());
        Multipart.Part file = parts.get("torrent");
        if (file == null || file.data().length == 0) {
            form(w, 400, AccountPages.error(w, "Choose a .torrent file to upload."));
            return;
        }
        if (file.data().length > MAX_TORRENT) {
            form(w, 413, AccountPages.error(w, "That file is larger than " + Formats.size(MAX_TORRENT) + "."));
            return;
        }
        Backend.Torrent t;
        try {
            t = w.backend().upload(file.data(), me.username());
        } catch (SiteException e) {
            form(w, e.status(), AccountPages.error(w, e.getMessage()));
            return;
        }
        w.redirect("/t/" + t.infoHash() + "?uploaded=1");
    }
}
