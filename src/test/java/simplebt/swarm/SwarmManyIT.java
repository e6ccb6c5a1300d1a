package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;

/**
 * One seeder and six leechers of our node in one JVM, on real sockets, meeting through our own
 * (open) tracker. Everyone must end with the right bytes, and the leechers must trade pieces
 * among themselves: the seeder alone would upload six times the file.
 */
@Timeout(90)
class SwarmManyIT {
    static final int LEECHERS = 6;

    @TempDir
    Path tmp;

    @Test
    void sixLeechersFinishAndServeEachOther() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = SwarmIT.bytes(new Random(66), 6 * 1024 * 1024 + 12_345);
        Files.write(seedDir.resolve("many.bin"), data);
        try (TrackerServer tracker = TrackerServer.start(TrackerConfig.defaults(tmp.resolve("tracker"))
                .withHost("127.0.0.1").withPort(0).withOpen(true).withInterval(5))) {
            Metainfo meta = Metainfo.parse(new TorrentBuilder(seedDir.resolve("many.bin")).pieceLength(16384)
                    .tracker(tracker.baseUrl() + "/announce").build(n -> { }));
            List<TorrentSession> leechers = new ArrayList<>();
            try (TorrentSession seeder = TorrentSession.start(meta, local(seedDir))) {
                assertThat(seeder.status().complete()).isTrue();
                try {
                    for (int i = 0; i < LEECHERS; i++) {
                        leechers.add(TorrentSession.start(meta, local(tmp.resolve("leech" + i))));
                    }
                    for (TorrentSession l : leechers) {
                        assertThat(l.awaitCompletion(Duration.ofSeconds(75))).isTrue();
                    }
                } finally {
                    leechers.forEach(TorrentSession::close);
                }
                long up = seeder.status().uploaded();
                double ratio = (double) up / data.length;
                long leechersUp = leechers.stream().mapToLong(l -> l.status().uploaded()).sum();
                System.out.printf("swarm of 1+%d on %d bytes: seeder uploaded %d bytes (%.2fx the file), leechers uploaded %d, downloaded %d%n",
                        LEECHERS, data.length, up, ratio, leechersUp, leechers.stream().mapToLong(l -> l.status().downloaded()).sum());
                // Loopback: the seeder unchokes 5 of the 6 at full speed, so it still sends 2.5-3.6x on a
                // quiet machine; 6x would mean no trading. On a starved machine (load 10+ on 2 cores)
                // leechers get fewer chances to trade before the seeder serves them: 4.5x was seen. The
                // bounds prove trading; how well it trades is the swarm benchmark's job.
                assertThat(ratio).as("seeder upload / file size").isLessThan(5.0);
                assertThat(leechersUp).isGreaterThan((long) data.length);
            }
            for (int i = 0; i < LEECHERS; i++) {
                assertThat(Files.readAllBytes(tmp.resolve("leech" + i + "/many.bin"))).as("leecher " + i).isEqualTo(data);
            }
        }
    }

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0);
    }
}
