package simplebt.magnet;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;

/**
 * A BEP 9 magnet link: the info hash ({@code xt=urn:btih:}), an optional display name
 * ({@code dn}), trackers ({@code tr}) and peers ({@code x.pe}). Hostile links are refused by
 * {@link #parse} with a line that says which part is wrong; limits keep a pasted link from
 * costing more than a few kilobytes of memory.
 */
public record MagnetLink(InfoHash infoHash, Optional<String> name, List<String> trackers, List<InetSocketAddress> peers) {
    /** Far above any real link (a few hundred trackers fit); refuses a pasted megabyte early. */
    public static final int MAX_LENGTH = 64 * 1024;
    public static final int MAX_TRACKERS = 100;
    public static final int MAX_PEERS = 100;
    private static final int MAX_PARAMETERS = 500;
    private static final String PREFIX = "magnet:?";
    private static final String BTIH = "urn:btih:";

    public MagnetLink {
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
    }

    public static boolean looksLikeOne(String text) {
        return text.regionMatches(true, 0, "magnet:", 0, 7);
    }

    /** The link for a torrent we have: its info hash, name and every tracker (announce-list order). */
    public static MagnetLink of(Metainfo meta) {
        Set<String> trackers = new LinkedHashSet<>();
        meta.announceList().forEach(trackers::addAll);
        trackers.addAll(meta.trackers());
        return new MagnetLink(meta.infoHash(), Optional.of(meta.info().name()), new ArrayList<>(trackers), List.of());
    }

    public static MagnetLink parse(String uri) throws MagnetException {
        if (uri.length() > MAX_LENGTH) {
            throw new MagnetException("magnet link is too long (" + uri.length() + " characters, at most " + MAX_LENGTH + ")");
        }
        if (!uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new MagnetException("not a magnet link: it must start with 'magnet:?'");
        }
        String query = uri.substring(PREFIX.length());
        int hash = query.indexOf('#'); // a fragment is not part of the query
        if (hash >= 0) {
            query = query.substring(0, hash);
        }
        String[] parts = query.split("&", -1);
        if (parts.length > MAX_PARAMETERS) {
            throw new MagnetException("magnet link has too many parameters (" + parts.length + ", at most " + MAX_PARAMETERS + ")");
        }
        InfoHash infoHash = null;
        boolean otherTopic = false;
        String name = null;
        Set<String> trackers = new LinkedHashSet<>();
        Set<InetSocketAddress> peers = new LinkedHashSet<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new MagnetException("magnet link parameter '" + shown(part) + "' has no name=value");
            }
            String key = part.substring(0, eq).toLowerCase(Locale.ROOT);
            String rawValue = part.substring(eq + 1);
            // BEP 9 allows numbered repeats (xt.1, tr.2); they mean the same as the plain key.
            String base = key.replaceFirst("\\.\\d{1,3}$", "");
            switch (base) {
                case "xt" -> {
                    String value = Percent.decode(rawValue, false, "xt");
                    if (!value.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
                        otherTopic = true; // e.g. urn:btmh: (v2); we only speak v1
                        continue;
                    }
                    InfoHash h = infoHashOf(value.substring(BTIH.length()));
                    if (infoHash != null && !infoHash.equals(h)) {
                        throw new MagnetException("magnet link names two different info hashes (xt)");
                    }
                    infoHash = h;
                }
                case "dn" -> {
                    if (name != null) {
                        throw new MagnetException("magnet link has more than one name (dn)");
                    }
                    name = Percent.decode(rawValue, true, "dn");
                    if (name.length() > 1024) {
                        throw new MagnetException("magnet link name (dn) is too long");
                    }
                }
                case "tr" -> {
                    String tracker = Percent.decode(rawValue, false, "tr");
                    if (tracker.isEmpty() || tracker.length() > 2048) {
                        throw new MagnetException("magnet link tracker (tr) is empty or too long");
                    }
                    trackers.add(tracker);
                    if (trackers.size() > MAX_TRACKERS) {
                        throw new MagnetException("magnet link has more than " + MAX_TRACKERS + " trackers (tr)");
                    }
                }
                case "x.pe" -> {
                    peers.add(PeerAddress.parse(Percent.decode(rawValue, false, "x.pe")));
                    if (peers.size() > MAX_PEERS) {
                        throw new MagnetException("magnet link has more than " + MAX_PEERS + " peers (x.pe)");
                    }
                }
                default -> {
                    // xl, as, ws, kt, so and others: not needed to fetch the torrent
                }
            }
        }
        if (infoHash == null) {
            throw new MagnetException(otherTopic
                    ? "magnet link has no BitTorrent v1 info hash (xt=urn:btih:...); only v1 is supported"
                    : "magnet link has no info hash (xt=urn:btih:...)");
        }
        return new MagnetLink(infoHash, Optional.ofNullable(name), new ArrayList<>(trackers), new ArrayList<>(peers));
    }

    private static InfoHash infoHashOf(String text) throws MagnetException {
        if (text.length() == 40) {
            for (int i = 0; i < 40; i++) {
                if (Character.digit(text.charAt(i), 16) < 0) {
                    throw new MagnetException("magnet link info hash (xt) is not hexadecimal at character " + (i + 1));
                }
            }
            return InfoHash.fromHex(text.toLowerCase(Locale.ROOT));
        }
        if (text.length() == 32) {
            return new InfoHash(Base32.decode(text));
        }
        throw new MagnetException("magnet link info hash (xt) must be 40 hex or 32 base32 characters, got " + text.length());
    }

    /** The x.pe peers given as IP literals (host names are only tried for the metadata, where they are looked up). */
    public List<InetSocketAddress> literalPeers() {
        return peers.stream().filter(p -> !p.isUnresolved()).toList();
    }

    /** The link as text: xt in hex, then dn, tr and x.pe, each value percent-encoded (x.pe keeping its ':'). */
    public String toUri() {
        StringBuilder sb = new StringBuilder(PREFIX).append("xt=").append(BTIH).append(infoHash.hex());
        name.ifPresent(n -> sb.append("&dn=").append(Percent.encode(n)));
        trackers.forEach(t -> sb.append("&tr=").append(Percent.encode(t)));
        peers.forEach(p -> sb.append("&x.pe=").append(Percent.encodePeer(PeerAddress.format(p))));
        return sb.toString();
    }

    /** For messages: a hostile part is cut short and shown without control characters. */
    static String shown(String part) {
        String cut = part.length() > 40 ? part.substring(0, 40) + "..." : part;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
