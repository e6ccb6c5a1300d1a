package simplebt.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

import simplebt.metainfo.InfoHash;

/**
 * One parsed {@code GET /announce} (BEP 3, compact from BEP 23). {@code ip} is the address
 * peers will be told: the connection's source address, or the {@code ip} parameter only when
 * the tracker was configured to trust it. {@code key} is a 64-bit digest of the client's
 * {@code key} parameter (which it shows to nobody but the tracker), 0 when it sent none.
 */
record AnnounceRequest(InfoHash infoHash, byte[] peerId, byte[] ip, int port, long uploaded, long downloaded,
                       long left, Event event, boolean compact, boolean noPeerId, int numwant,
                       Optional<String> passkey, long key) {
    static final long NO_KEY = 0;

    /** Without a {@code key} parameter. */
    AnnounceRequest(InfoHash infoHash, byte[] peerId, byte[] ip, int port, long uploaded, long downloaded,
                    long left, Event event, boolean compact, boolean noPeerId, int numwant, Optional<String> passkey) {
        this(infoHash, peerId, ip, port, uploaded, downloaded, left, event, compact, noPeerId, numwant, passkey, NO_KEY);
    }

    static final int DEFAULT_NUMWANT = 50;
    static final int MAX_NUMWANT = 200;
    /** {@code left} when the client did not say: treated as a leecher. */
    static final long LEFT_UNKNOWN = -1;

    /**
     * @param pathPasskey the passkey from {@code /announce/<passkey>}, or null
     * @param acceptIp    whether the {@code ip} parameter may override the source address
     */
    static AnnounceRequest parse(String rawQuery, String pathPasskey, InetAddress source, boolean acceptIp)
            throws BadRequest {
        QueryString q = QueryString.parse(rawQuery);
        byte[] hash = q.bytes("info_hash").orElseThrow(() -> new BadRequest("missing info_hash"));
        if (hash.length != InfoHash.LENGTH) {
            throw new BadRequest("info_hash must be 20 bytes, got " + hash.length);
        }
        byte[] peerId = q.bytes("peer_id").orElseThrow(() -> new BadRequest("missing peer_id"));
        if (peerId.length != PeerId.LENGTH) {
            throw new BadRequest("peer_id must be 20 bytes, got " + peerId.length);
        }
        long port = q.number("port", -1);
        if (port < 1 || port > 65535) {
            throw new BadRequest(port == -1 ? "missing port" : "port must be 1-65535");
        }
        long numwant = q.number("numwant", DEFAULT_NUMWANT);
        byte[] ip = address(source);
        if (acceptIp) {
            Optional<byte[]> claimed = q.text("ip").flatMap(AnnounceRequest::ipv4Literal);
            if (claimed.isPresent()) {
                ip = claimed.get();
            }
        }
        String passkey = pathPasskey != null ? pathPasskey : q.text("passkey").orElse(null);
        return new AnnounceRequest(new InfoHash(hash), peerId, ip, (int) port,
                q.number("uploaded", 0), q.number("downloaded", 0), q.number("left", LEFT_UNKNOWN),
                Event.parse(q.text("event").orElse("")),
                !q.text("compact").orElse("1").equals("0"),
                q.text("no_peer_id").orElse("0").equals("1"),
                (int) Math.min(numwant, MAX_NUMWANT),
                Optional.ofNullable(passkey), q.bytes("key").map(AnnounceRequest::keyDigest).orElse(NO_KEY));
    }

    /**
     * FNV-1a over the key's bytes, never 0. Not a secret hash: the key is the secret, and
     * someone who does not know it cannot know its digest either.
     */
    static long keyDigest(byte[] key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h == NO_KEY ? 1 : h;
    }

    /** IPv4-mapped IPv6 sources (dual-stack sockets) become plain IPv4 so compact lists work. */
    static byte[] address(InetAddress source) {
        byte[] a = source.getAddress();
        if (source instanceof Inet6Address && a.length == 16 && isV4Mapped(a)) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        return a;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** Dotted-quad only: a name here would make the tracker do DNS lookups for strangers. */
    static Optional<byte[]> ipv4Literal(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}")) {
                return Optional.empty();
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return Optional.empty();
            }
            out[i] = (byte) v;
        }
        return Optional.of(out);
    }
}
