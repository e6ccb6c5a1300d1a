package simplebt.udptracker;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BEP 15 packets to bytes and back, with BEP 41's announce options. Pure: no socket, no state.
 * Decoding checks every length before reading and says what was expected and what arrived.
 */
public final class UdpCodec {
    public static final int ACTION_CONNECT = 0;
    public static final int ACTION_ANNOUNCE = 1;
    public static final int ACTION_SCRAPE = 2;
    public static final int ACTION_ERROR = 3;
    /** BEP 15: about 74 hashes fit a scrape in one Ethernet-sized packet; more is refused. */
    public static final int MAX_SCRAPE_HASHES = 74;
    /** Largest request we read: the biggest scrape (16 + 74 * 20) plus slack; more is dropped. */
    public static final int MAX_REQUEST = 1500;
    /** BEP 41 URL data is a path and query; ours are short, so a kilobyte is plenty. */
    public static final int MAX_URL_DATA = 1024;
    /** Largest reply we accept: 200 IPv6 peers (numwant's cap) plus the header, rounded up. */
    public static final int MAX_RESPONSE = 8192;
    static final int ANNOUNCE_FIXED = 98;
    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_URL_DATA = 2;
    private static final int MAX_ERROR_MESSAGE = 1024;

    private UdpCodec() {
    }

    public static UdpRequest decodeRequest(byte[] packet, int length) throws UdpPacketException {
        if (length < 16) {
            throw new UdpPacketException("request of " + length + " bytes, expected at least 16");
        }
        if (length > MAX_REQUEST) {
            throw new UdpPacketException("request of " + length + " bytes, at most " + MAX_REQUEST + " accepted");
        }
        ByteBuffer b = ByteBuffer.wrap(packet, 0, length);
        long connectionId = b.getLong();
        int action = b.getInt();
        int tid = b.getInt();
        return switch (action) {
            case ACTION_CONNECT -> {
                if (connectionId != UdpRequest.PROTOCOL_ID) {
                    throw new UdpPacketException("connect without BEP 15's protocol id 0x41727101980");
                }
                yield new UdpRequest.Connect(tid); // later bytes are room for extensions: ignored
            }
            case ACTION_ANNOUNCE -> announce(b, connectionId, tid);
            case ACTION_SCRAPE -> scrape(b, connectionId, tid);
            default -> throw new UdpPacketException("unknown action " + action + " (expected 0-2)");
        };
    }

    private static UdpRequest.Announce announce(ByteBuffer b, long connectionId, int tid) throws UdpPacketException {
        if (b.limit() < ANNOUNCE_FIXED) {
            throw new UdpPacketException("announce of " + b.limit() + " bytes, expected at least " + ANNOUNCE_FIXED);
        }
        byte[] infoHash = new byte[20];
        byte[] peerId = new byte[20];
        b.get(infoHash).get(peerId);
        long downloaded = b.getLong();
        long left = b.getLong();
        long uploaded = b.getLong();
        UdpEvent event = UdpEvent.of(b.getInt());
        int ip = b.getInt();
        int key = b.getInt();
        int numWant = b.getInt();
        int port = b.getShort() & 0xffff;
        return new UdpRequest.Announce(connectionId, tid, infoHash, peerId, downloaded, left, uploaded, event, ip, key,
                numWant, port, urlData(b));
    }

    /** BEP 41 options after the fixed announce: end (0), nop (1), or type + length + data; URL data (2) concatenates. */
    private static String urlData(ByteBuffer b) throws UdpPacketException {
        StringBuilder url = new StringBuilder();
        while (b.hasRemaining()) {
            int at = b.position();
            int type = b.get() & 0xff;
            if (type == OPTION_END) {
                break;
            }
            if (type == OPTION_NOP) {
                continue;
            }
            if (!b.hasRemaining()) {
                throw new UdpPacketException("option " + type + " at byte " + at + " has no length");
            }
            int length = b.get() & 0xff;
            if (b.remaining() < length) {
                throw new UdpPacketException("option " + type + " at byte " + at + " declares " + length
                        + " bytes, " + b.remaining() + " left");
            }
            if (type != OPTION_URL_DATA) {
                b.position(b.position() + length); // unknown options are skipped, as BEP 41 allows
                continue;
            }
            if (url.length() + length > MAX_URL_DATA) {
                throw new UdpPacketException("URL data longer than " + MAX_URL_DATA + " bytes");
            }
            for (int i = 0; i < length; i++) {
                url.append((char) (b.get() & 0xff));
            }
        }
        return url.toString();
    }

    private static UdpRequest.Scrape scrape(ByteBuffer b, long connectionId, int tid) throws UdpPacketException {
        int bytes = b.remaining();
        if (bytes == 0 || bytes % 20 != 0 || bytes / 20 > MAX_SCRAPE_HASHES) {
            throw new UdpPacketException("scrape carries " + bytes + " bytes of info hashes, expected 20 to "
                    + MAX_SCRAPE_HASHES * 20 + " in steps of 20");
        }
        List<byte[]> hashes = new ArrayList<>(bytes / 20);
        while (b.hasRemaining()) {
            byte[] h = new byte[20];
            b.get(h);
            hashes.add(h);
        }
        return new UdpRequest.Scrape(connectionId, tid, hashes);
    }

    public static byte[] encode(UdpRequest request) {
        return switch (request) {
            case UdpRequest.Connect c -> ByteBuffer.allocate(16).putLong(UdpRequest.PROTOCOL_ID).putInt(ACTION_CONNECT)
                    .putInt(c.transactionId()).array();
            case UdpRequest.Announce a -> {
                byte[] url = a.urlData().getBytes(StandardCharsets.ISO_8859_1);
                int chunks = (url.length + 254) / 255;
                ByteBuffer b = ByteBuffer.allocate(ANNOUNCE_FIXED + url.length + 2 * chunks);
                b.putLong(a.connectionId()).putInt(ACTION_ANNOUNCE).putInt(a.transactionId()).put(a.infoHash())
                        .put(a.peerId()).putLong(a.downloaded()).putLong(a.left()).putLong(a.uploaded())
                        .putInt(a.event().code()).putInt(a.ipv4()).putInt(a.key()).putInt(a.numWant())
                        .putShort((short) a.port());
                for (int off = 0; off < url.length; off += 255) {
                    int n = Math.min(255, url.length - off);
                    b.put((byte) OPTION_URL_DATA).put((byte) n).put(url, off, n);
                }
                yield b.array();
            }
            case UdpRequest.Scrape s -> {
                ByteBuffer b = ByteBuffer.allocate(16 + 20 * s.infoHashes().size());
                b.putLong(s.connectionId()).putInt(ACTION_SCRAPE).putInt(s.transactionId());
                s.infoHashes().forEach(b::put);
                yield b.array();
            }
        };
    }

    /**
     * @param ipv6 whether the tracker was reached over IPv6, which makes peers 18 bytes each (BEP 15)
     */
    public static UdpResponse decodeResponse(byte[] packet, int length, boolean ipv6) throws UdpPacketException {
        if (length < 8) {
            throw new UdpPacketException("reply of " + length + " bytes, expected at least 8");
        }
        if (length > MAX_RESPONSE) {
            throw new UdpPacketException("reply of " + length + " bytes, at most " + MAX_RESPONSE + " accepted");
        }
        ByteBuffer b = ByteBuffer.wrap(packet, 0, length);
        int action = b.getInt();
        int tid = b.getInt();
        try {
            return switch (action) {
                case ACTION_CONNECT -> new UdpResponse.Connected(tid, b.getLong());
                case ACTION_ANNOUNCE -> announced(b, tid, ipv6);
                case ACTION_SCRAPE -> scraped(b, tid);
                case ACTION_ERROR -> {
                    int n = Math.min(b.remaining(), MAX_ERROR_MESSAGE);
                    yield new UdpResponse.Error(tid, new String(packet, 8, n, StandardCharsets.UTF_8));
                }
                default -> throw new UdpPacketException("unknown action " + action + " in reply (expected 0-3)");
            };
        } catch (BufferUnderflowException e) {
            throw new UdpPacketException("reply for action " + action + " is " + length + " bytes, too short");
        }
    }

    private static UdpResponse.Announced announced(ByteBuffer b, int tid, boolean ipv6) throws UdpPacketException {
        int interval = b.getInt();
        int leechers = b.getInt();
        int seeders = b.getInt();
        int size = UdpResponse.Announced.entrySize(ipv6);
        if (b.remaining() % size != 0) {
            throw new UdpPacketException(b.remaining() + " bytes of peers, not a multiple of " + size);
        }
        byte[] peers = new byte[b.remaining()];
        b.get(peers);
        return new UdpResponse.Announced(tid, interval, leechers, seeders, ipv6, peers);
    }

    private static UdpResponse.Scraped scraped(ByteBuffer b, int tid) throws UdpPacketException {
        if (b.remaining() % 12 != 0) {
            throw new UdpPacketException(b.remaining() + " bytes of scrape counts, not a multiple of 12");
        }
        List<UdpResponse.ScrapeCounts> counts = new ArrayList<>(b.remaining() / 12);
        while (b.hasRemaining()) {
            counts.add(new UdpResponse.ScrapeCounts(b.getInt(), b.getInt(), b.getInt()));
        }
        return new UdpResponse.Scraped(tid, counts);
    }

    public static byte[] encode(UdpResponse response) {
        return switch (response) {
            case UdpResponse.Connected c -> ByteBuffer.allocate(16).putInt(ACTION_CONNECT).putInt(c.transactionId())
                    .putLong(c.connectionId()).array();
            case UdpResponse.Announced a -> {
                byte[] peers = a.compactPeers();
                yield ByteBuffer.allocate(20 + peers.length).putInt(ACTION_ANNOUNCE).putInt(a.transactionId())
                        .putInt(a.interval()).putInt(a.leechers()).putInt(a.seeders()).put(peers).array();
            }
            case UdpResponse.Scraped s -> {
                ByteBuffer b = ByteBuffer.allocate(8 + 12 * s.counts().size()).putInt(ACTION_SCRAPE).putInt(s.transactionId());
                s.counts().forEach(c -> b.putInt(c.seeders()).putInt(c.completed()).putInt(c.leechers()));
                yield b.array();
            }
            case UdpResponse.Error e -> {
                byte[] text = e.message().getBytes(StandardCharsets.UTF_8);
                yield ByteBuffer.allocate(8 + text.length).putInt(ACTION_ERROR).putInt(e.transactionId()).put(text).array();
            }
        };
    }
}
