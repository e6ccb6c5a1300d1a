package simplebt.trackerclient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import simplebt.bencode.BDict;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeException;
import simplebt.metainfo.InfoHash;

/**
 * HTTP tracker client: announce (BEP 3, compact peers BEP 23) and scrape (BEP 48). Binary
 * parameters are percent-encoded byte by byte; replies are strict bencode, size-limited.
 */
public final class AnnounceClient implements AutoCloseable {
    private static final int MAX_REPLY = 1 << 20;
    private final Duration timeout;

    public AnnounceClient(Duration timeout) {
        this.timeout = timeout; // the HTTP client itself is the process's (SharedHttpClients)
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
        List<InetSocketAddress> peers = reply.get("peers").map(AnnounceClient::peers).orElse(List.of());
        List<InetSocketAddress> secure = reply.get("sbt peers").map(AnnounceClient::peers).orElse(List.of());
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
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("User-Agent", "SimpleBT/0.1").GET().build();
            response = SharedHttpClients.forUri(request.uri(), SharedHttpClients.Redirects.FOLLOW)
                    .send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IllegalArgumentException e) {
            throw new AnnounceException("bad tracker URL: " + e.getMessage(), false);
        } catch (IOException e) {
            throw new AnnounceException("tracker unreachable: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        byte[] body = response.body();
        if (body.length > MAX_REPLY) {
            throw new AnnounceException("tracker reply of " + body.length + " bytes is too large", false);
        }
        BValue value;
        try {
            value = BencodeDecoder.decode(body);
        } catch (BencodeException e) {
            throw new AnnounceException("tracker answered HTTP " + response.statusCode() + " with no valid bencode ("
                    + e.getMessage() + ")", false);
        }
        if (!(value instanceof BDict dict)) {
            throw new AnnounceException("tracker reply is not a dictionary", false);
        }
        return dict;
    }

    /** Compact (BEP 23: 6 bytes each) or a list of dicts with ip and port (BEP 3). */
    static List<InetSocketAddress> peers(BValue value) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (value instanceof BString s) {
            byte[] b = s.bytes();
            for (int i = 0; i + 6 <= b.length; i += 6) {
                try {
                    InetAddress ip = InetAddress.getByAddress(Arrays.copyOfRange(b, i, i + 4));
                    int port = ((b[i + 4] & 0xff) << 8) | (b[i + 5] & 0xff);
                    if (port > 0) {
                        out.add(new InetSocketAddress(ip, port));
                    }
                } catch (UnknownHostException e) {
                    // four bytes are always a valid IPv4 address
                }
            }
        } else if (value instanceof BList list) {
            for (BValue v : list.values()) {
                if (v instanceof BDict d && d.text("ip").isPresent() && d.integer("port").isPresent()) {
                    long port = d.integer("port").get();
                    if (port > 0 && port < 65536) {
                        out.add(new InetSocketAddress(d.text("ip").get(), (int) port));
                    }
                }
            }
        }
        return out;
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
