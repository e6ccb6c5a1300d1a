package simplebt.magnet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeEncoder;
import simplebt.log.Log;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;
import simplebt.trackerclient.AnnounceException;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.AnnounceResponse;
import simplebt.trackerclient.TrackerClient;
import simplebt.wire.Handshake;

/**
 * Turns a magnet link into a {@link Metainfo}: peers from the link's {@code x.pe}, from
 * announcing to its {@code tr} trackers (every 15 s until done) and from the node's DHT feed a
 * {@link MetadataFetcher}; the verified info dictionary becomes a .torrent with the link's
 * trackers. Whether a torrent is private (BEP 27) is known only once its metadata is here, so
 * the DHT is asked at once only for a link with no tracker and no peer (nothing else could find
 * it); otherwise after a grace period, so a private torrent's own tracker answers first.
 */
public final class MagnetResolver {
    private static final long REANNOUNCE_NANOS = Duration.ofSeconds(15).toNanos();
    private static final Duration STOPPED_WAIT = Duration.ofSeconds(5);
    /** How long a link's own trackers and peers have to deliver the metadata before the DHT is asked too. */
    static final Duration DHT_GRACE = Duration.ofSeconds(3);

    private MagnetResolver() {
    }

    /** @param extraPeers e.g. {@code --peer}; tried with the link's own */
    public static Metainfo resolve(MagnetLink link, Collection<InetSocketAddress> extraPeers, int listenPort, Duration timeout)
            throws IOException, InterruptedException {
        return resolve(link, extraPeers, listenPort, timeout, null);
    }

    /**
     * @param listenPort the port we really listen on (announced to the link's trackers and named in
     *                   the extension handshake); 0 when we listen on none
     * @param dht        where else to look (the node's DHT), or null: at once for a link that names
     *                   no peer and no tracker, else only after {@link #DHT_GRACE} without the
     *                   metadata, so a (possibly private, BEP 27) torrent whose own tracker or peers
     *                   answer at once is never looked up on the DHT
     */
    public static Metainfo resolve(MagnetLink link, Collection<InetSocketAddress> extraPeers, int listenPort, Duration timeout,
                                   PeerSource dht) throws IOException, InterruptedException {
        return fetch(link, extraPeers, listenPort, timeout, dht).meta();
    }

    /** The torrent, and the peer it came from: the one to dial first for the data. */
    public record Resolved(Metainfo meta, Optional<InetSocketAddress> from) {
    }

    /** As {@link #resolve(MagnetLink, Collection, int, Duration, PeerSource)}, also naming the peer that served the metadata. */
    public static Resolved fetch(MagnetLink link, Collection<InetSocketAddress> extraPeers, int listenPort, Duration timeout,
                                 PeerSource dht) throws IOException, InterruptedException {
        byte[] peerId = Handshake.newPeerId();
        MetadataFetcher fetcher = new MetadataFetcher(link.infoHash(), peerId, listenPort);
        fetcher.addPeers(link.peers());
        fetcher.addPeers(extraPeers);
        CountDownLatch finished = new CountDownLatch(1);
        Thread announcer = link.trackers().isEmpty() || listenPort <= 0 ? null
                : Thread.ofVirtual().name("magnet-announce")
                        .start(() -> announceUntilDone(link, peerId, listenPort, fetcher, finished));
        if (!link.trackers().isEmpty() && listenPort <= 0) {
            // a tracker would hand our address to others: without a port of ours that is a lie
            Log.debug("magnet: no listening port, so the link's trackers are not asked");
        }
        boolean alone = link.trackers().isEmpty() && link.peers().isEmpty() && extraPeers.isEmpty();
        Thread searcher = dht == null ? null : Thread.ofVirtual().name("magnet-dht")
                .start(() -> searchUntilDone(dht, alone ? Duration.ZERO : DHT_GRACE, fetcher, finished));
        try {
            byte[] info = fetcher.await(timeout);
            return new Resolved(metainfo(link, info), fetcher.source());
        } finally {
            finished.countDown();
            if (searcher != null) {
                searcher.join(STOPPED_WAIT);
            }
            if (announcer != null) {
                // Wait (briefly) for the `stopped` announces, so the torrent session that follows
                // is the only entry the trackers list for us; a slow tracker gets it late, not never.
                announcer.join(STOPPED_WAIT);
            }
        }
    }

    /** Runs the DHT search from {@code grace} on until the fetch is over. */
    private static void searchUntilDone(PeerSource dht, Duration grace, MetadataFetcher fetcher, CountDownLatch finished) {
        try {
            if (finished.await(grace.toNanos(), TimeUnit.NANOSECONDS) || fetcher.done().isPresent()) {
                return;
            }
            Log.debug("magnet: looking for peers on the DHT");
            try (AutoCloseable search = dht.start(fetcher::addPeers)) {
                finished.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Log.debug("magnet: DHT search: " + e.getMessage());
        }
    }

    /**
     * Announces every 15 s until the metadata came or the wait ended, then sends {@code stopped}
     * (same peer id, port and client key) to each tracker that listed us: this peer id belongs to
     * the metadata fetch alone, which accepts no connections, so its entry must not outlive it.
     */
    private static void announceUntilDone(MagnetLink link, byte[] peerId, int port, MetadataFetcher fetcher,
                                          CountDownLatch finished) {
        Set<String> listedUs = new LinkedHashSet<>(); // owned by this announcer thread
        try (TrackerClient trackers = new TrackerClient(Duration.ofSeconds(10))) {
            try {
                while (fetcher.done().isEmpty() && finished.getCount() > 0) {
                    long started = System.nanoTime();
                    for (String url : link.trackers()) {
                        try {
                            AnnounceResponse reply = trackers.announce(url, request(link, peerId, port, AnnounceRequest.Event.NONE));
                            listedUs.add(url);
                            fetcher.addPeers(reply.peers());
                        } catch (AnnounceException | RuntimeException e) {
                            Log.debug("magnet: tracker " + url + ": " + e.getMessage());
                        }
                    }
                    long left = REANNOUNCE_NANOS - (System.nanoTime() - started);
                    if (left > 0) {
                        finished.await(left, TimeUnit.NANOSECONDS);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (String url : listedUs) {
                try {
                    trackers.announce(url, request(link, peerId, port, AnnounceRequest.Event.STOPPED));
                } catch (AnnounceException | RuntimeException e) {
                    Log.debug("magnet: tracker " + url + " (stopped): " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static AnnounceRequest request(MagnetLink link, byte[] peerId, int port, AnnounceRequest.Event event) {
        // left is unknown before the metadata; 1 keeps us a leecher in the tracker's eyes
        return new AnnounceRequest(link.infoHash(), peerId, port, 0, 0, 1, event, 50);
    }

    /** A .torrent: the link's trackers (announce, and announce-list one per tier) and the exact info bytes. */
    public static Metainfo metainfo(MagnetLink link, byte[] info) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(info.length + 256);
        out.write('d');
        if (!link.trackers().isEmpty()) {
            out.writeBytes(BencodeEncoder.encode(new BString("announce".getBytes(StandardCharsets.US_ASCII))));
            out.writeBytes(BencodeEncoder.encode(new BString(link.trackers().get(0).getBytes(StandardCharsets.UTF_8))));
            List<BValue> tiers = new ArrayList<>();
            for (String t : link.trackers()) {
                tiers.add(new BList(List.of(new BString(t.getBytes(StandardCharsets.UTF_8)))));
            }
            out.writeBytes(BencodeEncoder.encode(new BString("announce-list".getBytes(StandardCharsets.US_ASCII))));
            out.writeBytes(BencodeEncoder.encode(new BList(tiers)));
        }
        out.writeBytes(BencodeEncoder.encode(new BString("info".getBytes(StandardCharsets.US_ASCII))));
        out.writeBytes(info); // as received: its SHA-1 is the info hash, re-encoding could change it
        out.write('e');
        try {
            Metainfo meta = Metainfo.parse(out.toByteArray());
            if (!meta.infoHash().equals(link.infoHash())) {
                throw new IOException("the torrent built from the metadata has another info hash");
            }
            return meta;
        } catch (MetainfoException e) {
            throw new IOException("the metadata from the swarm is not a usable torrent: " + e.getMessage());
        }
    }

    /** A file name for the torrent under torrents/: the info's name with anything unusual replaced, never a path. */
    public static String fileName(Metainfo meta) {
        String name = meta.info().name().replaceAll("[^A-Za-z0-9._ -]", "_").strip();
        if (name.length() > 100) {
            name = name.substring(0, 100);
        }
        if (name.isEmpty() || name.chars().allMatch(c -> c == '.')) {
            name = meta.infoHash().hex();
        }
        return name + ".torrent";
    }
}
