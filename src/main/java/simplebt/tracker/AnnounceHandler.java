package simplebt.tracker;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import simplebt.log.Log;

/**
 * HTTP adapter for {@code /announce[/<passkey>]} and {@code /scrape[/<passkey>]}. Replies are
 * bencoded; failures too, with status 200, because that is what BitTorrent clients read.
 */
final class AnnounceHandler implements HttpHandler {
    static final int MAX_QUERY = 8192;
    private static final Pattern PATH = Pattern.compile("/(announce|scrape)(?:/([^/]*))?/?");
    private static final Pattern PASSKEY = Pattern.compile("[0-9a-f]{32}");
    private static final String TYPE = "text/plain";
    private final AnnounceService service;
    private final boolean acceptIp;

    AnnounceHandler(AnnounceService service, boolean acceptIp) {
        this.service = service;
        this.acceptIp = acceptIp;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            HttpIO.readEmptyBody(ex);
            HttpIO.send(ex, 200, TYPE, reply(ex));
        }
    }

    private byte[] reply(HttpExchange ex) {
        try {
            Matcher m = PATH.matcher(ex.getRequestURI().getRawPath());
            if (!m.matches()) {
                throw new BadRequest("unknown path; use /announce or /scrape");
            }
            if (!ex.getRequestMethod().equals("GET")) {
                throw new BadRequest("use GET");
            }
            String passkey = m.group(2);
            if (passkey != null && !passkey.isEmpty() && !PASSKEY.matcher(passkey).matches()) {
                throw new BadRequest("malformed passkey in the URL");
            }
            if (passkey != null && passkey.isEmpty()) {
                passkey = null;
            }
            String query = ex.getRequestURI().getRawQuery();
            if (query != null && query.length() > MAX_QUERY) {
                throw new BadRequest("query too long");
            }
            if (m.group(1).equals("scrape")) {
                QueryString q = QueryString.parse(query);
                String key = passkey != null ? passkey : q.text("passkey").orElse(null);
                return service.scrape(q.all("info_hash"), Optional.ofNullable(key));
            }
            AnnounceRequest r = AnnounceRequest.parse(query, passkey, ex.getRemoteAddress().getAddress(), acceptIp);
            return service.announce(r).encode();
        } catch (BadRequest e) {
            return AnnounceReply.failure(e.getMessage());
        } catch (RuntimeException e) {
            Log.warn("announce failed: " + e);
            Log.debug("details", e);
            return AnnounceReply.failure("tracker error, try again later");
        }
    }
}
