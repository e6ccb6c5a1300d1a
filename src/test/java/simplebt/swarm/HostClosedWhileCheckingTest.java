package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.testing.Eventually;

/**
 * A torrent added in the background is still checking its data when its host closes: it must
 * not start afterwards. Before, the check ran on, the torrent launched on a closed host and its
 * tracker heard {@code started} (and at once {@code stopped}) after the host had said goodbye.
 */
@Timeout(60)
class HostClosedWhileCheckingTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

    @TempDir
    Path tmp;

    @Test
    void aTorrentStillCheckingWhenItsHostClosesNeverStartsNorAnnounces() throws Exception {
        List<String> announces = new CopyOnWriteArrayList<>();
        HttpServer tracker = HttpServer.create(new InetSocketAddress(LOCAL, 0), 16);
        tracker.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        tracker.createContext("/announce", ex -> {
            announces.add(ex.getRequestURI().getRawQuery());
            byte[] reply = "d8:intervali1800e5:peers0:e".getBytes(StandardCharsets.ISO_8859_1);
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        tracker.start();
        try {
            byte[] data = new byte[4 * 16384];
            new Random(3).nextBytes(data);
            Files.write(tmp.resolve("c.bin"), data);
            String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
            Metainfo meta = Metainfo.parse(new TorrentBuilder(tmp.resolve("c.bin")).pieceLength(16384).tracker(url).build(n -> { }));
            CountDownLatch checking = new CountDownLatch(1);
            CountDownLatch hostClosed = new CountDownLatch(1);
            SessionOptions options = SessionOptions.of(tmp).withBind(LOCAL).withPort(0).withUseTrackers(true)
                    .withCheckProgress(bytes -> { // the check waits here until the host is closed
                        checking.countDown();
                        awaitQuietly(hostClosed);
                    });
            SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0));
            HostedTorrent t = host.addInBackground(meta, options);
            assertThat(checking.await(20, TimeUnit.SECONDS)).isTrue();
            host.close();
            hostClosed.countDown();
            // The start ends either way: it fails (the fix: the host is closed) or it launches and
            // announces (the defect). Wait for whichever comes.
            Eventually.within(Duration.ofSeconds(20), () -> t.status().failure().isPresent() || !announces.isEmpty());
            assertThat(announces).as("announces after the host closed").isEmpty();
            assertThat(t.session()).isEmpty();
            assertThat(t.state()).isEqualTo(HostedTorrent.State.STOPPED);
        } finally {
            tracker.stop(0);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
