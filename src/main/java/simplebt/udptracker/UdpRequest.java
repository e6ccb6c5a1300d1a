package simplebt.udptracker;

import java.util.List;

/** A client-to-tracker packet of BEP 15. All numbers are big-endian on the wire. */
public sealed interface UdpRequest {
    /** BEP 15: the magic that a connect request carries instead of a connection id. */
    long PROTOCOL_ID = 0x41727101980L;

    int transactionId();

    /** connect: {@code <protocol id 8><action=0 4><transaction id 4>}. */
    record Connect(int transactionId) implements UdpRequest {
    }

    /**
     * announce: {@code <connection id 8><action=1 4><transaction id 4><info hash 20><peer id 20>
     * <downloaded 8><left 8><uploaded 8><event 4><ip 4><key 4><num want 4><port 2>} (98 bytes),
     * then BEP 41 options; {@code urlData} is the concatenation of their URLData parts
     * (the tracker URL's path and query), empty when none.
     */
    record Announce(long connectionId, int transactionId, byte[] infoHash, byte[] peerId, long downloaded,
                    long left, long uploaded, UdpEvent event, int ipv4, int key, int numWant, int port,
                    String urlData) implements UdpRequest {
        public Announce {
            infoHash = infoHash.clone();
            peerId = peerId.clone();
            if (infoHash.length != 20 || peerId.length != 20) {
                throw new IllegalArgumentException("info hash and peer id are 20 bytes each");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            if (urlData.length() > UdpCodec.MAX_URL_DATA) {
                throw new IllegalArgumentException("URL data longer than " + UdpCodec.MAX_URL_DATA);
            }
        }

        @Override
        public byte[] infoHash() {
            return infoHash.clone();
        }

        @Override
        public byte[] peerId() {
            return peerId.clone();
        }
    }

    /** scrape: {@code <connection id 8><action=2 4><transaction id 4>} then 20 bytes per info hash. */
    record Scrape(long connectionId, int transactionId, List<byte[]> infoHashes) implements UdpRequest {
        public Scrape {
            infoHashes = infoHashes.stream().map(byte[]::clone).toList();
            if (infoHashes.isEmpty() || infoHashes.size() > UdpCodec.MAX_SCRAPE_HASHES) {
                throw new IllegalArgumentException("scrape needs 1-" + UdpCodec.MAX_SCRAPE_HASHES + " info hashes");
            }
            for (byte[] h : infoHashes) {
                if (h.length != 20) {
                    throw new IllegalArgumentException("info hash must be 20 bytes");
                }
            }
        }

        @Override
        public List<byte[]> infoHashes() {
            return infoHashes.stream().map(byte[]::clone).toList();
        }
    }
}
