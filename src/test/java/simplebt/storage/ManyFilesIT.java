package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;

/**
 * A seeder and a leecher of a 10,000-file torrent in one JVM: each used to keep one descriptor
 * per file for the whole session (20,000 here, past a 1,024 or even 20,000 limit). With the open
 * files pooled the process's descriptor count stays within a few hundred.
 */
@Timeout(300)
class ManyFilesIT {
    private static final int FILES = 10_000;

    @TempDir
    Path tmp;

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false);
    }

    @Test
    void tenThousandFilesDownloadWithBoundedDescriptors() throws Exception {
        Path root = tmp.resolve("seed/many");
        Random r = new Random(12);
        for (int i = 0; i < FILES; i++) {
            Path f = root.resolve("d" + i / 100).resolve("f" + i + ".bin");
            Files.createDirectories(f.getParent());
            Files.write(f, StorageTest.random(r, 300 + r.nextInt(700)));
        }
        Metainfo meta = Metainfo.parse(new TorrentBuilder(root).pieceLength(32768).build(n -> { }));
        int before = OpenFilesTest.descriptors();
        AtomicInteger peak = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                peak.accumulateAndGet(OpenFilesTest.descriptors(), Math::max);
                try {
                    Thread.sleep(5); // on purpose: the sampling pace
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (TorrentSession seeder = TorrentSession.start(meta, local(tmp.resolve("seed")));
             TorrentSession leecher = TorrentSession.start(meta, local(tmp.resolve("out"))
                     .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port()))))) {
            assertThat(seeder.status().complete()).isTrue();
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(240))).isTrue();
        } finally {
            running.set(false);
            sampler.join();
        }
        System.out.println("10,000-file swarm in one JVM: descriptors " + before + " -> peak " + peak.get()
                + " (+" + (peak.get() - before) + "); after close " + OpenFilesTest.descriptors());
        // Two sessions of at most 64 files each plus the verifier's and peers' leases, sockets, listeners.
        assertThat(peak.get() - before).isLessThanOrEqualTo(2 * Storage.DEFAULT_OPEN_FILES + 100);
        for (int i : new int[] {0, 5_555, FILES - 1}) {
            Path rel = Path.of("many/d" + i / 100, "f" + i + ".bin");
            assertThat(Files.readAllBytes(tmp.resolve("out").resolve(rel))).isEqualTo(Files.readAllBytes(tmp.resolve("seed").resolve(rel)));
        }
    }
}
