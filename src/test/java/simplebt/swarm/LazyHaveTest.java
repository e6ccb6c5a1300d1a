package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.storage.Storage;
import simplebt.testing.Eventually;
import simplebt.wire.Handshake;
import simplebt.wire.Message;

/**
 * A have for a seed waits for our next write instead of going out alone: a leecher wrote one
 * have per verified piece by itself, and each woke the seeder's reader (4,096 of its ~4,700
 * wake-ups per GiB; bench/profile/NOTES.md, "Sixth look"). A scripted seeder serves one block
 * (a whole piece), sees nothing arrive while the leecher has no requests to add, then serves
 * a second: the have for the first piece comes in front of the requests that follow.
 * A bare swarm (no session) has no ticker, which would otherwise send the have within a second.
 */
@Timeout(60)
class LazyHaveTest {
    private static final int PIECE = 16384;
    private static final int PIECES = 64;

    @TempDir
    Path tmp;

    @Test
    void aHaveForASeedGoesOutWithTheNextRequestsNotAlone() throws Exception {
        byte[] data = SwarmIT.bytes(new Random(9), PIECES * PIECE);
        Metainfo meta = seeded(data);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Storage out = new Storage(tmp.resolve("out"), meta.info())) {
            Swarm leecher = leecher(meta, out);
            PeerConnection c = dialing(leecher, server);
            Thread reader = Thread.ofVirtual().start(c::run);
            try (Socket s = server.accept()) {
                ScriptedSeeder seeder = ScriptedSeeder.greet(s, meta);
                List<Message.Request> asked = new ArrayList<>();
                while (asked.size() < RequestPipeline.INITIAL) {
                    if (seeder.codec().read(seeder.in()) instanceof Message.Request r) {
                        asked.add(r);
                    }
                }
                serve(seeder, data, asked.get(0));
                // The piece is verified, written and announced meanwhile; with 15 requests in
                // flight there is no room for more yet, so nothing may be written.
                Thread.sleep(500);
                assertThat(seeder.in().available()).as("bytes written alone after the first piece").isZero();
                serve(seeder, data, asked.get(1)); // now there is room: requests go out
                assertThat(seeder.codec().read(seeder.in())).isEqualTo(new Message.Have(asked.get(0).index()));
                Message next;
                while ((next = seeder.codec().read(seeder.in())) instanceof Message.Have h) {
                    assertThat(h.index()).isEqualTo(asked.get(1).index());
                }
                assertThat(next).isInstanceOf(Message.Request.class);
            } finally {
                c.close();
                reader.join(5_000);
                assertThat(leecher.verifier().awaitWrites(java.time.Duration.ofSeconds(10))).isTrue();
            }
        }
    }

    /** A one-file torrent of {@code data}, in 16 KiB pieces, with the file in seed/. */
    private Metainfo seeded(byte[] data) throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        Files.write(seedDir.resolve("f.bin"), data);
        return Metainfo.parse(new TorrentBuilder(seedDir.resolve("f.bin")).pieceLength(PIECE).build(n -> { }));
    }

    /** A bare swarm (no session, no ticker) downloading into {@code out}. */
    private static Swarm leecher(Metainfo meta, Storage out) {
        return new Swarm(meta, out, Handshake.newPeerId(), 5, 0, RandomGenerator.of("L64X128MixRandom"),
                SwarmPair.events(new CountDownLatch(1)));
    }

    /** Our connection to the scripted seeder listening on {@code server}, not yet running. */
    private static PeerConnection dialing(Swarm leecher, ServerSocket server) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.getLocalPort());
        return new PeerConnection(leecher, new PlainTransport().connect(address), 1, true, Optional.of(address));
    }

    private static void serve(ScriptedSeeder seeder, byte[] data, Message.Request r) throws IOException {
        int at = r.index() * PIECE + r.begin();
        seeder.codec().write(seeder.out(), new Message.Piece(r.index(), r.begin(), Arrays.copyOfRange(data, at, at + r.length())));
        seeder.out().flush();
    }

    /**
     * BEP 3 allows the bitfield (BEP 6: have all / have none) only as the first message: a have
     * for a seed that waits before our writer has written it must not go out in front of it.
     * It did when the writer wrote waiting haves before its item (found by review5).
     */
    @Test
    void aWaitingHaveGoesOutAfterTheBitfieldNotBeforeIt() throws Exception {
        Metainfo meta = seeded(SwarmIT.bytes(new Random(9), 8 * PIECE));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Storage out = new Storage(tmp.resolve("out"), meta.info())) {
            Swarm leecher = leecher(meta, out);
            PeerConnection c = dialing(leecher, server);
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            PeerWriter writer = new PeerWriter(new DataOutputStream(wire), leecher, c);
            writer.send(new Message.HaveNone()); // what greet() queues first
            writer.sendLazy(new Message.Have(3)); // a piece verified on another connection before the writer ran
            writer.start("writer");
            int both = 5 + 9; // have none: length + id; have: length + id + index
            assertThat(Eventually.within(Duration.ofSeconds(10), () -> wire.size() >= both)).isTrue();
            writer.stop();
            writer.join();
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
            List<Message> got = List.of(leecher.codec().read(in), leecher.codec().read(in));
            assertThat(got).containsExactly(new Message.HaveNone(), new Message.Have(3));
        }
    }
}
