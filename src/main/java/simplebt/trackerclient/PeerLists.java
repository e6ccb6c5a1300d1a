package simplebt.trackerclient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import simplebt.bencode.BDict;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;

/**
 * The peer lists of an announce reply: {@code peers} compact (BEP 23: 4-byte address, 2-byte
 * port) or as dictionaries with ip and port (BEP 3), and {@code peers6} compact (BEP 7: 16-byte
 * address, 2-byte port). A trailing partial entry and port 0 are skipped.
 */
final class PeerLists {
    static final int V4_ENTRY = 6;
    static final int V6_ENTRY = 18;

    private PeerLists() {
    }

    static List<InetSocketAddress> peers(BValue value) {
        if (value instanceof BString s) {
            return compact(s.bytes(), 4);
        }
        List<InetSocketAddress> out = new ArrayList<>();
        if (value instanceof BList list) {
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

    static List<InetSocketAddress> peers6(BValue value) {
        return value instanceof BString s ? compact(s.bytes(), 16) : List.of();
    }

    private static List<InetSocketAddress> compact(byte[] b, int addressLength) {
        int entry = addressLength + 2;
        List<InetSocketAddress> out = new ArrayList<>(b.length / entry);
        for (int i = 0; i + entry <= b.length; i += entry) {
            int port = ((b[i + addressLength] & 0xff) << 8) | (b[i + addressLength + 1] & 0xff);
            if (port > 0) {
                out.add(new InetSocketAddress(address(Arrays.copyOfRange(b, i, i + addressLength)), port));
            }
        }
        return out;
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
