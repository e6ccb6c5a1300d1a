package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.storage.Storage;
import simplebt.wire.Handshake;

/**
 * When every started piece is waiting for the verifier, a connection's pipeline drains and no
 * arriving block will trigger its next requests: the verifier must do it when it frees a piece.
 * Here two bare swarms (no session, so no one-second ticker to paper over a missed refill) talk
 * over loopback; the leecher's buffer budget allows only 4 started pieces of 64, so it hits that
 * limit over and over (its verifier is slowed down to a few ms per piece, as a disk under
 * writeback throttling is). Without the verifier's refill the download stalls for good.
 */
@Timeout(60)
class VerifierRefillTest {
    private static final int PIECE = 16384;
    private static final int PIECES = 64;

    @TempDir
    Path tmp;

    @Test
    void aLeecherAtItsStartedPieceLimitResumesRequestingWhenTheVerifierFreesAPiece() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = SwarmIT.bytes(new Random(5), PIECES * PIECE - 100);
        Files.write(seedDir.resolve("f.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seedDir.resolve("f.bin")).pieceLength(PIECE).build(n -> { }));
        Path outDir = tmp.resolve("out");
        CountDownLatch complete = new CountDownLatch(1);
        try (Storage seedStorage = new Storage(seedDir, meta.info());
             Storage outStorage = new Storage(outDir, meta.info());
             ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Swarm seeder = new Swarm(meta, seedStorage, Handshake.newPeerId(), 5, 0, RandomGenerator.of("L64X128MixRandom"),
                    events(new CountDownLatch(1), false));
            for (int i = 0; i < meta.info().pieceCount(); i++) {
                seeder.markHave(i);
            }
            Swarm leecher = new Swarm(meta, outStorage, Handshake.newPeerId(), 5, 0, RandomGenerator.of("L64X128MixRandom"),
                    events(complete, true), 4L * PIECE);
            Thread seederSide = Thread.ofVirtual().start(() -> {
                try {
                    Socket s = server.accept();
                    PlainTransport.tune(s);
                    new PeerConnection(seeder, PlainTransport.streams(s, s.getInputStream()), 1, false, Optional.empty()).run();
                } catch (Exception e) {
                    // the test fails on the leecher's side
                }
            });
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.getLocalPort());
            PeerConnection toSeeder = new PeerConnection(leecher, new PlainTransport().connect(address), 1, true, Optional.of(address));
            Thread leecherSide = Thread.ofVirtual().start(toSeeder::run);
            try {
                assertThat(complete.await(30, TimeUnit.SECONDS)).as("download completed without a ticker").isTrue();
            } finally {
                toSeeder.close();
                seeder.connections().forEach(PeerConnection::close);
                leecherSide.join(5_000);
                seederSide.join(5_000);
            }
        }
        assertThat(Files.readAllBytes(outDir.resolve("f.bin"))).isEqualTo(data);
    }

    /** @param slowDisk the verifier takes a few ms per piece, like a disk under writeback, so the reader runs ahead */
    private static Swarm.Events events(CountDownLatch complete, boolean slowDisk) {
        return new Swarm.Events() {
            @Override
            public void pieceVerified(int piece, boolean torrentComplete) {
                if (slowDisk) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (torrentComplete) {
                    complete.countDown();
                }
            }

            @Override
            public void fatal(String message) {
            }
        };
    }
}
