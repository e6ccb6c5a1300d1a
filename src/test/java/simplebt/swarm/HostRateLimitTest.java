package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;

/**
 * {@code --max-upload-rate} and {@code --max-download-rate} hold for all torrents of a host
 * together: over 20 s, no more than 15 % above the limit. No lower bound beyond "data flowed":
 * the machine is shared and noisy.
 */
@Timeout(120)
class HostRateLimitTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private static final long RATE = 256 * 1024;
    private static final long WINDOW_MS = 20_000;
    /** Each torrent is larger than the window lets through at the rate, so the limit, not the data, ends the flow. */
    private static final int SIZE = 4 << 20;

    @TempDir
    Path tmp;

    private static SessionOptions local(Path dir) {
        return SessionOptions.of(dir).withBind(LOCAL).withPort(0).withUseTrackers(false);
    }

    @Test
    void uploadOfTwoTorrentsTogetherStaysWithinTheLimit() throws Exception {
        try (SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0).withMaxUploadRate(RATE))) {
            List<TorrentSession> leechers = new ArrayList<>();
            try {
                long start = System.nanoTime();
                for (int i = 0; i < 2; i++) {
                    Metainfo m = SessionHostTest.torrent(tmp.resolve("seed"), "up" + i + ".bin", SIZE, i);
                    host.add(m, local(tmp.resolve("seed")));
                    leechers.add(TorrentSession.start(m, local(tmp.resolve("leech" + i))
                            .withPeers(List.of(new InetSocketAddress(LOCAL, host.port())))));
                }
                long sent = bytesAfterWindow(start, host, s -> s.uploaded());
                assertThat(sent).as("data flowed").isPositive();
                assertThat(sent).as("bytes sent in 20 s at " + RATE + " B/s").isLessThanOrEqualTo((long) (RATE * 20 * 1.15));
                assertThat(leechers).allSatisfy(l -> assertThat(l.status().complete()).isFalse());
            } finally {
                leechers.forEach(TorrentSession::close);
            }
        }
    }

    @Test
    void downloadOfTwoTorrentsFromTwoSeedersStaysWithinTheLimit() throws Exception {
        List<TorrentSession> seeders = new ArrayList<>();
        try (SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0).withMaxDownloadRate(RATE))) {
            long start = System.nanoTime();
            for (int i = 0; i < 2; i++) {
                Path seedDir = tmp.resolve("seed" + i);
                Metainfo m = SessionHostTest.torrent(seedDir, "down" + i + ".bin", SIZE, 10 + i);
                TorrentSession seeder = TorrentSession.start(m, local(seedDir));
                seeders.add(seeder);
                host.add(m, local(tmp.resolve("out")).withPeers(List.of(new InetSocketAddress(LOCAL, seeder.port()))));
            }
            long received = bytesAfterWindow(start, host, s -> s.downloaded());
            assertThat(received).as("data flowed").isPositive();
            assertThat(received).as("bytes received in 20 s at " + RATE + " B/s").isLessThanOrEqualTo((long) (RATE * 20 * 1.15));
        } finally {
            seeders.forEach(TorrentSession::close);
        }
    }

    /** The host's total at {@link #WINDOW_MS} after {@code start}, over all its torrents. */
    private static long bytesAfterWindow(long start, SessionHost host, ToLongFunction<SessionStatus> count) throws InterruptedException {
        Thread.sleep(Math.max(0, WINDOW_MS - (System.nanoTime() - start) / 1_000_000));
        return host.torrents().stream().mapToLong(t -> count.applyAsLong(t.status())).sum();
    }
}
