package simplebt.swarm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;

import simplebt.metainfo.Metainfo;
import simplebt.storage.Storage;
import simplebt.wire.Handshake;

/**
 * Two bare swarms (no session: no ticker, no tracker) joined by one connection over
 * 127.0.0.1: a seeder with every piece and a leecher with the given buffer budget.
 */
final class SwarmPair implements AutoCloseable {
    private final Storage seedStorage;
    private final Storage outStorage;
    private final ServerSocket server;
    private final Thread seederSide;
    private final Thread leecherSide;
    private final PeerConnection toSeeder;
    private final Swarm seeder;
    final Swarm leecher;

    /** @param events what the leecher's swarm tells; completion and failures go there */
    SwarmPair(Metainfo meta, Path seedDir, Path outDir, long leecherBudget, Swarm.Events events) throws IOException {
        seedStorage = new Storage(seedDir, meta.info());
        outStorage = new Storage(outDir, meta.info());
        server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        seeder = new Swarm(meta, seedStorage, Handshake.newPeerId(), 5, 0, RandomGenerator.of("L64X128MixRandom"),
                events(new CountDownLatch(1)));
        for (int i = 0; i < meta.info().pieceCount(); i++) {
            seeder.markHave(i);
        }
        leecher = new Swarm(meta, outStorage, Handshake.newPeerId(), 5, 0, RandomGenerator.of("L64X128MixRandom"),
                events, leecherBudget);
        seederSide = Thread.ofVirtual().start(() -> {
            try {
                Socket s = server.accept();
                PlainTransport.tune(s);
                new PeerConnection(seeder, PlainTransport.streams(s, s.getInputStream()), 1, false, Optional.empty()).run();
            } catch (Exception e) {
                // the test fails on the leecher's side
            }
        });
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.getLocalPort());
        toSeeder = new PeerConnection(leecher, new PlainTransport().connect(address), 1, true, Optional.of(address));
        leecherSide = Thread.ofVirtual().start(toSeeder::run);
    }

    /** Events that count down {@code complete} when the torrent is complete and ignore the rest. */
    static Swarm.Events events(CountDownLatch complete) {
        return new Swarm.Events() {
            @Override
            public void pieceVerified(int piece, boolean torrentComplete) {
                if (torrentComplete) {
                    complete.countDown();
                }
            }

            @Override
            public void fatal(String message) {
            }
        };
    }

    @Override
    public void close() throws Exception {
        toSeeder.close();
        seeder.connections().forEach(PeerConnection::close);
        leecherSide.join(5_000);
        seederSide.join(5_000);
        leecher.verifier().awaitWrites(java.time.Duration.ofSeconds(10)); // pieces verified last may still be on their way to disk
        server.close();
        seedStorage.close();
        outStorage.close();
    }
}
