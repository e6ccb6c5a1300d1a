package simplebt.udptracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A tracker-to-client packet of BEP 15. */
public sealed interface UdpResponse {
    int transactionId();

    /** connect: {@code <action=0 4><transaction id 4><connection id 8>}. */
    record Connected(int transactionId, long connectionId) implements UdpResponse {
    }

    /**
     * announce: {@code <action=1 4><transaction id 4><interval 4><leechers 4><seeders 4>} then
     * compact peers: 6 bytes each (IPv4 + port) or, when the tracker was reached over IPv6,
     * 18 bytes each (BEP 15's IPv6 rule: the family of the tracker's address decides).
     */
    record Announced(int transactionId, int interval, int leechers, int seeders, boolean ipv6, byte[] compactPeers)
            implements UdpResponse {
        public Announced {
            compactPeers = compactPeers.clone();
            if (compactPeers.length % entrySize(ipv6) != 0) {
                throw new IllegalArgumentException("compact peers must be whole " + entrySize(ipv6) + "-byte entries");
            }
        }

        static int entrySize(boolean ipv6) {
            return ipv6 ? 18 : 6;
        }

        @Override
        public byte[] compactPeers() {
            return compactPeers.clone();
        }

        /** The peers as socket addresses; entries with port 0 are skipped. */
        public List<InetSocketAddress> peers() {
            int size = entrySize(ipv6);
            List<InetSocketAddress> out = new ArrayList<>(compactPeers.length / size);
            for (int i = 0; i < compactPeers.length; i += size) {
                int port = (compactPeers[i + size - 2] & 0xff) << 8 | (compactPeers[i + size - 1] & 0xff);
                if (port == 0) {
                    continue;
                }
                try {
                    out.add(new InetSocketAddress(InetAddress.getByAddress(
                            Arrays.copyOfRange(compactPeers, i, i + size - 2)), port));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("4 or 16 bytes are always an address", e);
                }
            }
            return out;
        }
    }

    /** One torrent's counts in a scrape reply, in BEP 15's order. */
    record ScrapeCounts(int seeders, int completed, int leechers) {
    }

    /** scrape: {@code <action=2 4><transaction id 4>} then per info hash {@code <seeders 4><completed 4><leechers 4>}. */
    record Scraped(int transactionId, List<ScrapeCounts> counts) implements UdpResponse {
        public Scraped {
            counts = List.copyOf(counts);
        }
    }

    /** error: {@code <action=3 4><transaction id 4><message>}; the message is the rest of the packet. */
    record Error(int transactionId, String message) implements UdpResponse {
    }
}
