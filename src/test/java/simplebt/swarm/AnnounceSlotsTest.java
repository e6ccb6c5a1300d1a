package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;
import simplebt.trackerclient.TrackerStub;

/**
 * A silent UDP tracker holds each announce sent to it for BEP 15's retransmits (15 + 30 + 60 s
 * here) before the torrent gives up on it. Before, every such announce held one of the host's
 * {@link AnnounceClock#IN_FLIGHT} slots all that time, so as many torrents on one dead UDP
 * tracker stalled the announces of every other torrent of the host for about 105 s: a torrent
 * whose tracker answers at once did not even say {@code started}.
 */
@Timeout(120)
class AnnounceSlotsTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    /** More than the host-wide cap, so that before, they took every slot. */
    private static final int ON_THE_DEAD_TRACKER = AnnounceClock.IN_FLIGHT + 8;
    /**
     * Well under BEP 15's first time-out (15 s), before which no announce to the silent tracker
     * can have given its slot back; far above what a loopback announce takes.
     */
    private static final Duration BOUND = Duration.ofSeconds(8);

    @TempDir
    Path tmp;

    @Test
    void torrentsOnASilentUdpTrackerDoNotHoldUpAnotherTrackersAnnounces() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        try (DatagramSocket silent = new DatagramSocket(0, LOCAL); // bound, never answers
             TrackerStub healthy = new TrackerStub()) {
            Thread listener = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[2048];
                try {
                    while (true) {
                        silent.receive(new DatagramPacket(buf, buf.length));
                        heard.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            String dead = "udp://127.0.0.1:" + silent.getLocalPort() + "/announce";
            SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0));
            try {
                Path dir = Files.createDirectories(tmp.resolve("seed"));
                for (int i = 0; i < ON_THE_DEAD_TRACKER; i++) {
                    host.add(torrent(dir, "dead" + i, 1_000 + i, dead), SessionOptions.of(dir).withBind(LOCAL).withPort(0));
                }
                assertThat(Eventually.within(Duration.ofSeconds(30), () -> heard.get() >= AnnounceClock.IN_FLIGHT))
                        .as("connect requests the silent tracker got").isTrue();

                Metainfo good = torrent(dir, "good", 5_000, healthy.announceUrl());
                host.add(good, SessionOptions.of(dir).withBind(LOCAL).withPort(0));
                boolean started = Eventually.within(BOUND, () -> healthy.seen().stream()
                        .anyMatch(s -> s.infoHashHex().equals(good.infoHash().hex()) && s.event().equals("started")));
                assertThat(started).as("the healthy tracker heard 'started' within " + BOUND.toSeconds() + " s").isTrue();
            } finally {
                host.close();
                silent.close();
                listener.join(5_000);
            }
        }
    }

    private static Metainfo torrent(Path dir, String name, int size, String tracker) throws Exception {
        Files.write(dir.resolve(name), new byte[size]);
        return Metainfo.parse(new TorrentBuilder(dir.resolve(name)).pieceLength(16384).tracker(tracker).build(n -> { }));
    }
}
