package simplebt.trackerclient;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import simplebt.bencode.BDict;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeException;
import simplebt.log.Redaction;
import simplebt.metainfo.InfoHash;

/**
 * HTTP tracker client: announce (BEP 3, compact peers BEP 23) and scrape (BEP 48). Binary
 * parameters are percent-encoded byte by byte; replies are size-limited and decoded leniently
 * (other programs' trackers do not all keep BEP 3's canonical form).
 */
public final class AnnounceClient implements AutoCloseable {
    /** A dictionary-model reply with 200 peers holds ~1,400 values; a 100-hash scrape ~800. */
    private static final BencodeDecoder.Options REPLY_DECODING = BencodeDecoder.Options.LENIENT.withMaxValues(100_000);
    private final Duration timeout;
    /** The {@code key} parameter sent with every announce, 0 for none ({@link TrackerClient}). Immutable. */
    private final int key;

    public AnnounceClient(Duration timeout) {
        this(timeout, 0);
    }

    /**
     * @param key sent as {@code key=%08X} (libtorrent's form) when not 0: the tracker lets only the
     *            holder of an entry's key change or stop it, over HTTP and UDP alike
     */
    public AnnounceClient(Duration timeout, int key) {
        this.timeout = timeout; // the HTTP client itself is the process's (SharedHttpClients)
        this.key = key;
    }

    public AnnounceResponse announce(String announceUrl, AnnounceRequest r) throws AnnounceException, InterruptedException {
        StringBuilder q = new StringBuilder(announceUrl).append(announceUrl.contains("?") ? '&' : '?');
        q.append("info_hash=").append(percentEncode(r.infoHash().bytes()));
        q.append("&peer_id=").append(percentEncode(r.peerId()));
        q.append("&port=").append(r.port());
        q.append("&uploaded=").append(r.uploaded());
        q.append("&downloaded=").append(r.downloaded());
        q.append("&left=").append(r.left());
        q.append("&compact=1");
        q.append("&numwant=").append(r.numwant());
        if (key != 0) {
            q.append("&key=").append(String.format("%08X", key));
        }
        r.event().wire().ifPresent(e -> q.append("&event=").append(e));
        BDict reply = get(q.toString());
        return parse(reply);
    }

    static AnnounceResponse parse(BDict reply) throws AnnounceException {
        Optional<String> failure = reply.text("failure reason");
        if (failure.isPresent()) {
            throw new AnnounceException(failure.get(), true);
        }
        long interval = reply.integer("interval").orElseThrow(() -> new AnnounceException("tracker reply has no interval", false));
        List<InetSocketAddress> peers = new ArrayList<>(reply.get("peers").map(PeerLists::peers).orElse(List.of()));
        peers.addAll(reply.get("peers6").map(PeerLists::peers6).orElse(List.of())); // BEP 7; our tracker sends it
        List<InetSocketAddress> secure = reply.get("sbt peers").map(PeerLists::peers).orElse(List.of());
        Optional<byte[]> secret = reply.string("sbt secret").map(BString::bytes).filter(b -> b.length == 32);
        return new AnnounceResponse((int) clamp(interval, 1, 86_400),
                reply.integer("min interval").map(v -> (int) clamp(v, 1, 86_400)),
                reply.integer("complete").map(v -> (int) clamp(v, 0, Integer.MAX_VALUE)),
                reply.integer("incomplete").map(v -> (int) clamp(v, 0, Integer.MAX_VALUE)),
                peers, secret, secure, reply.text("warning message"));
    }

    /** Seeders / completed / leechers for one torrent (BEP 48). */
    public record ScrapeResult(int complete, int downloaded, int incomplete) {
    }

    public Optional<ScrapeResult> scrape(String announceUrl, InfoHash infoHash) throws AnnounceException, InterruptedException {
        int slash = announceUrl.lastIndexOf('/');
        if (slash < 0 || !announceUrl.startsWith("announce", slash + 1)) {
            return Optional.empty(); // BEP 48: no "announce" in the last segment means no scrape
        }
        String url = announceUrl.substring(0, slash + 1) + "scrape" + announceUrl.substring(slash + 1 + "announce".length());
        url += (url.contains("?") ? "&" : "?") + "info_hash=" + percentEncode(infoHash.bytes());
        BDict reply = get(url);
        Optional<String> failure = reply.text("failure reason");
        if (failure.isPresent()) {
            throw new AnnounceException(failure.get(), true);
        }
        Optional<BDict> files = reply.dict("files");
        if (files.isEmpty()) {
            return Optional.empty();
        }
        Optional<BValue> entry = Optional.ofNullable(files.get().entries().get(BString.of(infoHash.bytes())));
        return entry.filter(BDict.class::isInstance).map(BDict.class::cast).map(d -> new ScrapeResult(
                d.integer("complete").orElse(0L).intValue(), d.integer("downloaded").orElse(0L).intValue(),
                d.integer("incomplete").orElse(0L).intValue()));
    }

    private BDict get(String url) throws AnnounceException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("User-Agent", "SimpleBT/0.1").GET().build();
            // a stream, not ofByteArray: the body is read only up to ReplyBody's limit
            response = SharedHttpClients.forUri(request.uri(), SharedHttpClients.Redirects.FOLLOW)
                    .send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IllegalArgumentException e) {
            // the message quotes the URL, passkey and all: it is shown and logged, so redact it
            throw new AnnounceException("bad tracker URL: " + Redaction.apply(e.getMessage()), false);
        } catch (IOException e) {
            throw new AnnounceException("tracker unreachable: " + Redaction.apply(describe(e)), e);
        }
        byte[] body = ReplyBody.read(response.body(), timeout);
        BValue value;
        try {
            // lenient: trackers of other programs end with a newline or leave keys unsorted
            value = BencodeDecoder.decode(body, REPLY_DECODING);
        } catch (BencodeException e) {
            throw new AnnounceException("tracker answered HTTP " + response.statusCode() + " with no valid bencode ("
                    + e.getMessage() + ")", false);
        }
        if (!(value instanceof BDict dict)) {
            throw new AnnounceException("tracker reply is not a dictionary", false);
        }
        return dict;
    }

    /** For people: the HttpClient's ConnectException (refused, no route) comes without a message. */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            // some wrappers carry only their cause's class name ("java.net.ConnectException")
            if (m != null && !m.isBlank() && !m.equals(String.valueOf(t.getCause()))
                    && !(m.startsWith("java.") && !m.contains(" "))) {
                return m;
            }
        }
        return e instanceof java.net.ConnectException ? "cannot connect (refused or no route)" : e.toString();
    }

    public static String percentEncode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        // nothing of its own to release: the HTTP client is shared (SharedHttpClients)
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

}
