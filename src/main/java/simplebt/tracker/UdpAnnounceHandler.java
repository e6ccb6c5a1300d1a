package simplebt.tracker;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.udptracker.UdpCodec;
import simplebt.udptracker.UdpEvent;
import simplebt.udptracker.UdpPacketException;
import simplebt.udptracker.UdpRequest;
import simplebt.udptracker.UdpResponse;

/**
 * UDP adapter (BEP 15) over the same {@link AnnounceService} as HTTP's {@link AnnounceHandler}:
 * one packet in, at most one packet out. Announces and scrapes need a connection id from
 * {@link ConnectionIds}; in private mode the passkey comes from BEP 41 URL data, carried the way
 * the HTTP announce URL carries it ({@code /announce?passkey=...} or {@code /announce/<passkey>}).
 * The swarm secret of our secure channel is never put in a UDP reply: BEP 15 has no field for it,
 * and a UDP reply goes to whatever address the packet claimed.
 * Stateless apart from the services it calls; safe for several threads.
 */
final class UdpAnnounceHandler {
    private static final Pattern PATH = Pattern.compile("/announce(?:/([^/]*))?/?");
    private static final Pattern PASSKEY = Pattern.compile("[0-9a-f]{32}");
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();
    private final AnnounceService service;
    private final ConnectionIds ids;
    private final TrackerConfig config;

    UdpAnnounceHandler(AnnounceService service, ConnectionIds ids, TrackerConfig config) {
        this.service = service;
        this.ids = ids;
        this.config = config;
    }

    /** The reply to send, or null to drop the packet (garbage from an address that never connected). */
    byte[] handle(byte[] packet, int length, InetAddress source) {
        byte[] address = AnnounceRequest.address(source);
        UdpRequest request;
        try {
            request = UdpCodec.decodeRequest(packet, length);
        } catch (UdpPacketException e) {
            return malformed(packet, length, address, e.getMessage());
        }
        if (request instanceof UdpRequest.Connect c) {
            return UdpCodec.encode(new UdpResponse.Connected(c.transactionId(), ids.issue(address)));
        }
        long connectionId = request instanceof UdpRequest.Announce a ? a.connectionId()
                : ((UdpRequest.Scrape) request).connectionId();
        if (!ids.valid(connectionId, address)) {
            // Short on purpose: the sender's address is unproven, so the reply must not be larger
            // than the smallest request (a 36-byte scrape) or it would amplify a spoofed flood.
            return error(request.transactionId(), "bad connection id");
        }
        try {
            UdpResponse reply = switch (request) {
                case UdpRequest.Announce a -> announce(a, source, address);
                case UdpRequest.Scrape s -> scrape(s);
                case UdpRequest.Connect c -> throw new IllegalStateException("answered above");
            };
            return UdpCodec.encode(reply);
        } catch (BadRequest e) {
            return error(request.transactionId(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            Log.warn("UDP announce failed: " + e);
            Log.debug("details", e);
            return error(request.transactionId(), "tracker error, try again later");
        }
    }

    /**
     * A packet we cannot parse is answered only when it carries a valid connection id, so that
     * a sender spoofing someone else's address gets nothing sent to that address.
     */
    private byte[] malformed(byte[] packet, int length, byte[] address, String why) {
        if (length < 16 || length > UdpCodec.MAX_REQUEST) {
            return null;
        }
        long connectionId = 0;
        for (int i = 0; i < 8; i++) {
            connectionId = connectionId << 8 | (packet[i] & 0xff);
        }
        if (!ids.valid(connectionId, address)) {
            return null;
        }
        int tid = (packet[12] & 0xff) << 24 | (packet[13] & 0xff) << 16 | (packet[14] & 0xff) << 8 | (packet[15] & 0xff);
        return error(tid, "malformed request: " + why);
    }

    private UdpResponse announce(UdpRequest.Announce a, InetAddress source, byte[] address)
            throws BadRequest, IOException {
        if (a.port() == 0) {
            throw new BadRequest("port must be 1-65535");
        }
        if (a.downloaded() < 0 || a.uploaded() < 0) {
            throw new BadRequest("downloaded and uploaded must not be negative");
        }
        byte[] ip = address;
        if (config.acceptIp() && a.ipv4() != 0) {
            int v = a.ipv4();
            ip = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        int numwant = a.numWant() < 0 ? AnnounceRequest.DEFAULT_NUMWANT : Math.min(a.numWant(), AnnounceRequest.MAX_NUMWANT);
        AnnounceRequest r = new AnnounceRequest(new InfoHash(a.infoHash()), a.peerId(), ip, a.port(),
                a.uploaded(), a.downloaded(), a.left() < 0 ? AnnounceRequest.LEFT_UNKNOWN : a.left(), event(a.event()),
                true, true, numwant, passkey(a.urlData()), key(a.key()));
        AnnounceReply reply = service.announce(r);
        // BEP 15: the reply's address family is the one the request came in on.
        boolean ipv4 = address.length == 4;
        return new UdpResponse.Announced(a.transactionId(), reply.interval(), reply.incomplete(), reply.complete(),
                !ipv4, AnnounceReply.compactList(reply.peers(), ipv4));
    }

    /**
     * BEP 15's 32-bit key as the digest the HTTP {@code key} gets, so a UDP peer entry is guarded
     * like an HTTP one ({@link Peer#mayBeChangedBy}); 0 means the client sent none. Taken as the
     * text libtorrent (qBittorrent, Deluge) sends over HTTP for the same number, eight upper-case
     * hex digits, so such a client moving between our http:// and udp:// tiers keeps its entry.
     */
    static long key(int key) {
        if (key == 0) {
            return AnnounceRequest.NO_KEY;
        }
        return AnnounceRequest.keyDigest(UPPER_HEX.toHexDigits(key).getBytes(StandardCharsets.US_ASCII));
    }

    private static Event event(UdpEvent e) {
        return switch (e) {
            case NONE -> Event.NONE;
            case COMPLETED -> Event.COMPLETED;
            case STARTED -> Event.STARTED;
            case STOPPED -> Event.STOPPED;
        };
    }

    /** The passkey from BEP 41 URL data: {@code /announce/<passkey>} or {@code /announce?passkey=<passkey>}. */
    static Optional<String> passkey(String urlData) throws BadRequest {
        if (urlData.isEmpty()) {
            return Optional.empty();
        }
        int q = urlData.indexOf('?');
        String path = q < 0 ? urlData : urlData.substring(0, q);
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            throw new BadRequest("unknown path in the URL; use /announce");
        }
        String key = m.group(1);
        if (key != null && !key.isEmpty()) {
            if (!PASSKEY.matcher(key).matches()) {
                throw new BadRequest("malformed passkey in the URL");
            }
            return Optional.of(key);
        }
        return q < 0 ? Optional.empty() : QueryString.parse(urlData.substring(q + 1)).text("passkey");
    }

    private UdpResponse scrape(UdpRequest.Scrape s) throws BadRequest {
        // BEP 41 defines options for announces only, so a UDP scrape carries no passkey.
        List<UdpResponse.ScrapeCounts> counts = new ArrayList<>();
        for (Optional<AnnounceService.ScrapeCounts> c : service.scrapeCounts(s.infoHashes(), Optional.empty())) {
            counts.add(c.map(k -> new UdpResponse.ScrapeCounts(k.complete(), (int) Math.min(Integer.MAX_VALUE,
                    k.downloaded()), k.incomplete())).orElse(new UdpResponse.ScrapeCounts(0, 0, 0)));
        }
        return new UdpResponse.Scraped(s.transactionId(), counts);
    }

    private static byte[] error(int transactionId, String message) {
        return UdpCodec.encode(new UdpResponse.Error(transactionId, message));
    }
}
