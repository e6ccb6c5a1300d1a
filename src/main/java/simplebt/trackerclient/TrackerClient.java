package simplebt.trackerclient;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

import simplebt.metainfo.InfoHash;

/** Announces and scrapes by the URL's scheme: {@code udp://} over BEP 15, anything else over HTTP(S). */
public final class TrackerClient implements AutoCloseable {
    /** Up to 15 + 30 + 60 s on a silent UDP tracker before the announcer moves on to the next one. */
    private static final int UDP_RETRANSMITS = 2;
    private final AnnounceClient http;
    private final UdpAnnounceClient udp;

    public TrackerClient(Duration httpTimeout) {
        this(httpTimeout, UdpAnnounceClient.nonZero(new SecureRandom().nextInt()));
    }

    /**
     * One key for both schemes: a torrent may list our tracker as http:// and udp:// tiers, and
     * the tracker refuses a change to a keyed entry that comes without its key.
     */
    private TrackerClient(Duration httpTimeout, int key) {
        this(new AnnounceClient(httpTimeout, key), new UdpAnnounceClient(UDP_RETRANSMITS, key));
    }

    TrackerClient(AnnounceClient http, UdpAnnounceClient udp) {
        this.http = http;
        this.udp = udp;
    }

    static boolean isUdp(String url) {
        return url.regionMatches(true, 0, "udp://", 0, 6);
    }

    public AnnounceResponse announce(String url, AnnounceRequest r) throws AnnounceException, InterruptedException {
        return isUdp(url) ? udp.announce(url, r) : http.announce(url, r);
    }

    public Optional<AnnounceClient.ScrapeResult> scrape(String url, InfoHash infoHash)
            throws AnnounceException, InterruptedException {
        return isUdp(url) ? udp.scrape(url, infoHash) : http.scrape(url, infoHash);
    }

    @Override
    public void close() {
        http.close();
    }
}
