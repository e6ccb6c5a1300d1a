package simplebt.trackerclient;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import simplebt.metainfo.InfoHash;
import simplebt.udptracker.UdpCodec;
import simplebt.udptracker.UdpEvent;
import simplebt.udptracker.UdpPacketException;
import simplebt.udptracker.UdpRequest;
import simplebt.udptracker.UdpResponse;

/**
 * UDP tracker client (BEP 15): connect, then announce or scrape with the connection id, which
 * is reused for one minute. A request unanswered after {@code base * 2^n} is sent again, n = 0,
 * 1, ... up to {@code maxRetransmits} (BEP 15: base 15 s, n up to 8). Replies must come from the
 * tracker's address and carry our transaction id; anything else is ignored. BEP 41 URL data
 * carries the URL's path and query, so a passkey in {@code /announce?passkey=...} reaches the tracker.
 * Each exchange uses its own socket, so calls from several threads do not mix replies; the
 * connection-id cache is a concurrent map.
 */
public final class UdpAnnounceClient {
    /** BEP 15: a client may use a connection id for one minute after receiving it. */
    static final long CONNECTION_ID_LIFE_MILLIS = 60_000;
    private final Duration base;
    private final int maxRetransmits;
    private final LongSupplier clockMillis;
    private final RandomGenerator random;
    private final ConcurrentHashMap<InetSocketAddress, Cached> connections = new ConcurrentHashMap<>();
    /**
     * BEP 15's key, the same in every announce: the tracker lets only the holder of an entry's
     * key change or stop it, so a fresh key per announce would lock us out of our own entry.
     * Never 0 (which says "no key"). Immutable.
     */
    private final int key;

    private record Cached(long id, long obtainedMillis) {
    }

    /** BEP 15's timing: 15 s, doubling, at most {@code maxRetransmits} times. */
    public UdpAnnounceClient(int maxRetransmits) {
        this(Duration.ofSeconds(15), maxRetransmits);
    }

    /** A shorter {@code base} lets tests see retransmits without waiting 15 s. */
    public UdpAnnounceClient(Duration base, int maxRetransmits) {
        this(base, maxRetransmits, System::currentTimeMillis, new java.security.SecureRandom());
    }

    /** BEP 15's timing, sending {@code key} (not 0) with every announce: {@link TrackerClient} shares it with HTTP. */
    UdpAnnounceClient(int maxRetransmits, int key) {
        this(Duration.ofSeconds(15), maxRetransmits, System::currentTimeMillis, new java.security.SecureRandom(), key);
    }

    UdpAnnounceClient(Duration base, int maxRetransmits, LongSupplier clockMillis, RandomGenerator random) {
        this(base, maxRetransmits, clockMillis, random, nonZero(random.nextInt()));
    }

    private UdpAnnounceClient(Duration base, int maxRetransmits, LongSupplier clockMillis, RandomGenerator random, int key) {
        if (maxRetransmits < 0 || maxRetransmits > 8) {
            throw new IllegalArgumentException("BEP 15 retransmits 0-8 times, got " + maxRetransmits);
        }
        this.base = base;
        this.maxRetransmits = maxRetransmits;
        this.clockMillis = clockMillis;
        this.random = random;
        this.key = nonZero(key);
    }

    /** 0 says "no key" on the wire. */
    static int nonZero(int key) {
        return key == 0 ? 1 : key;
    }

    public AnnounceResponse announce(String url, AnnounceRequest r) throws AnnounceException, InterruptedException {
        Target t = target(url);
        // A stopped announce is a courtesy on the way out: one try, no retransmits.
        int retransmits = r.event() == AnnounceRequest.Event.STOPPED ? 0 : maxRetransmits;
        UdpResponse reply = exchange(t, retransmits, (cid, tid) -> new UdpRequest.Announce(cid, tid,
                r.infoHash().bytes(), r.peerId(), r.downloaded(), r.left(), r.uploaded(), event(r.event()), 0,
                key, r.numwant(), r.port(), t.urlData()));
        if (!(reply instanceof UdpResponse.Announced a)) {
            throw new AnnounceException("tracker answered an announce with " + reply.getClass().getSimpleName(), false);
        }
        return new AnnounceResponse(Math.max(1, Math.min(86_400, a.interval())), Optional.empty(),
                Optional.of(Math.max(0, a.seeders())), Optional.of(Math.max(0, a.leechers())), a.peers(),
                Optional.empty(), List.of(), Optional.empty());
    }

    public Optional<AnnounceClient.ScrapeResult> scrape(String url, InfoHash infoHash)
            throws AnnounceException, InterruptedException {
        Target t = target(url);
        UdpResponse reply = exchange(t, maxRetransmits,
                (cid, tid) -> new UdpRequest.Scrape(cid, tid, List.of(infoHash.bytes())));
        if (!(reply instanceof UdpResponse.Scraped s) || s.counts().size() != 1) {
            throw new AnnounceException("tracker answered a scrape of one torrent with " + reply, false);
        }
        UdpResponse.ScrapeCounts c = s.counts().get(0);
        return Optional.of(new AnnounceClient.ScrapeResult(c.seeders(), c.completed(), c.leechers()));
    }

    /** The tracker's address and BEP 41 URL data (path and query) from {@code udp://host:port/path?query}. */
    record Target(InetSocketAddress address, String urlData) {
    }

    static Target target(String url) throws AnnounceException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new AnnounceException("bad tracker URL: " + e.getMessage(), false);
        }
        if (!"udp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
            throw new AnnounceException("a UDP tracker URL looks like udp://host:port/announce, got " + url, false);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String urlData = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        if (urlData.length() > UdpCodec.MAX_URL_DATA) {
            throw new AnnounceException("tracker URL path and query longer than " + UdpCodec.MAX_URL_DATA, false);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        try {
            return new Target(new InetSocketAddress(InetAddress.getByName(host), uri.getPort()), urlData);
        } catch (UnknownHostException e) {
            throw new AnnounceException("tracker host not found: " + host, false);
        }
    }

    private interface RequestMaker {
        UdpRequest make(long connectionId, int transactionId);
    }

    /** Connect if no id is fresh, then the request; an id the tracker refused is dropped and fetched once more. */
    private UdpResponse exchange(Target t, int retransmits, RequestMaker maker)
            throws AnnounceException, InterruptedException {
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int attempt = 0; ; attempt++) {
                Optional<Long> fresh = fresh(t.address());
                boolean cached = fresh.isPresent();
                long cid = cached ? fresh.get() : connect(socket, t.address(), retransmits);
                UdpResponse reply = roundTrip(socket, t.address(), retransmits, tid -> maker.make(cid, tid));
                if (reply instanceof UdpResponse.Error e) {
                    connections.remove(t.address());
                    if (cached && attempt == 0) {
                        continue; // the tracker may have restarted or expired the id early: connect again
                    }
                    throw new AnnounceException(e.message(), true);
                }
                return reply;
            }
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("UDP announce interrupted");
            }
            throw new AnnounceException("tracker unreachable: " + e.getMessage(), e);
        }
    }

    private Optional<Long> fresh(InetSocketAddress tracker) {
        Cached c = connections.get(tracker);
        return c != null && clockMillis.getAsLong() - c.obtainedMillis() < CONNECTION_ID_LIFE_MILLIS
                ? Optional.of(c.id()) : Optional.empty();
    }

    private long connect(DatagramSocket socket, InetSocketAddress tracker, int retransmits)
            throws IOException, AnnounceException, InterruptedException {
        UdpResponse reply = roundTrip(socket, tracker, retransmits, UdpRequest.Connect::new);
        if (reply instanceof UdpResponse.Error e) {
            throw new AnnounceException(e.message(), true);
        }
        if (!(reply instanceof UdpResponse.Connected c)) {
            throw new AnnounceException("tracker answered connect with " + reply.getClass().getSimpleName(), false);
        }
        connections.put(tracker, new Cached(c.connectionId(), clockMillis.getAsLong()));
        return c.connectionId();
    }

    private interface Build {
        UdpRequest with(int transactionId);
    }

    /**
     * Sends, then waits {@code base * 2^n} for a reply with our transaction id from the tracker;
     * on silence sends again with n + 1. Each try has a fresh transaction id, and a late reply
     * to an earlier try is accepted too (it answers the same question).
     */
    private UdpResponse roundTrip(DatagramSocket socket, InetSocketAddress tracker, int retransmits, Build build)
            throws IOException, AnnounceException, InterruptedException {
        boolean ipv6 = tracker.getAddress() instanceof Inet6Address;
        byte[] buf = new byte[UdpCodec.MAX_RESPONSE + 1];
        int[] sent = new int[retransmits + 1];
        for (int n = 0; n <= retransmits; n++) {
            int tid = random.nextInt();
            sent[n] = tid;
            byte[] out = UdpCodec.encode(build.with(tid));
            socket.send(new DatagramPacket(out, out.length, tracker));
            long deadline = System.nanoTime() + base.toNanos() * (1L << n);
            while (true) {
                // rounded up, and a socket time-out only re-checks: the socket's timer may fire a
                // fraction of a millisecond early, and BEP 15's wait is a minimum
                long left = (deadline - System.nanoTime() + 999_999) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, left)));
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (!tracker.equals(in.getSocketAddress())) {
                    continue; // not from the tracker: ignore
                }
                try {
                    UdpResponse reply = UdpCodec.decodeResponse(buf, in.getLength(), ipv6);
                    if (contains(sent, n, reply.transactionId())) {
                        return reply;
                    }
                } catch (UdpPacketException e) {
                    // garbage: keep waiting for a real answer
                }
            }
        }
        long total = base.toMillis() * ((1L << (retransmits + 1)) - 1);
        throw new AnnounceException("UDP tracker " + tracker + " did not answer within " + total / 1000.0 + " s", false);
    }

    private static boolean contains(int[] sent, int upTo, int tid) {
        for (int i = 0; i <= upTo; i++) {
            if (sent[i] == tid) {
                return true;
            }
        }
        return false;
    }

    private static UdpEvent event(AnnounceRequest.Event e) {
        return switch (e) {
            case NONE -> UdpEvent.NONE;
            case STARTED -> UdpEvent.STARTED;
            case COMPLETED -> UdpEvent.COMPLETED;
            case STOPPED -> UdpEvent.STOPPED;
        };
    }
}
