package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
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
import simplebt.testing.Eventually;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * A seeder with more interested peers than upload slots: when a peer it unchoked hangs up, a
 * peer it chokes gets the slot at once, not at the next choke round ({@value Choker#ROUND_SECONDS} s
 * after the session started). Before, the slot stayed empty until that round.
 */
@Timeout(60)
class SlotHandOverTest {
    @TempDir
    Path tmp;

    /** A raw peer that says it is interested and notes whether it is unchoked. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        volatile boolean unchoked;

        Raw(int port, Metainfo meta) throws IOException {
            socket = new Socket(InetAddress.getByName("127.0.0.1"), port);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
            Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
            out.flush();
            Handshake.read(in);
            codec.write(out, new Message.Interested());
            out.flush();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        switch (codec.read(in)) {
                            case Message.Unchoke u -> unchoked = true;
                            case Message.Choke c -> unchoked = false;
                            default -> { }
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aSlotFreedByAPeerThatLeftGoesToAChokedPeerAtOnce() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("seed"));
        Files.write(dir.resolve("x.bin"), SwarmIT.bytes(new Random(6), 8 * 16384));
        Metainfo meta = Metainfo.parse(new TorrentBuilder(dir.resolve("x.bin")).pieceLength(16384).build(n -> { }));
        SessionOptions options = SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0)
                .withUseTrackers(false);
        List<Raw> raws = new ArrayList<>();
        try (TorrentSession seeder = TorrentSession.start(meta, options)) {
            long started = System.nanoTime();
            for (int i = 0; i < Choker.REGULAR_SLOTS + 2; i++) {
                raws.add(new Raw(seeder.port(), meta));
            }
            // one peer more than the slots (regular + optimistic): one stays choked
            Eventually.within(Duration.ofMillis(2500), () -> raws.stream().filter(r -> r.unchoked).count() >= Choker.REGULAR_SLOTS + 1);
            assertThat(raws.stream().filter(r -> r.unchoked).count()).isEqualTo(Choker.REGULAR_SLOTS + 1);
            Raw choked = raws.stream().filter(r -> !r.unchoked).findFirst().orElseThrow();
            Raw leaving = raws.stream().filter(r -> r.unchoked).findFirst().orElseThrow();
            leaving.close();
            Eventually.within(Duration.ofSeconds(3), () -> choked.unchoked);
            long waitedSinceStart = (System.nanoTime() - started) / 1_000_000;
            assertThat(waitedSinceStart).as("still before the first periodic choke round").isLessThan(Choker.ROUND_SECONDS * 1000L - 1000);
            assertThat(choked.unchoked).as("the choked peer got the freed slot").isTrue();
        } finally {
            for (Raw r : raws) {
                r.close();
            }
        }
    }

    /**
     * The same under a host-wide cap ({@code --upload-slots}, which the node always has: 20 by
     * default) that this torrent fills: the leaver's slot must go back to the cap before it is
     * handed on. Before, nothing gave it back, the cap stayed full and the choked peer waited
     * for the first choke round.
     */
    @Test
    void underAFullHostWideUploadCapTheFreedSlotIsHandedOnAtOnce() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("seed"));
        Files.write(dir.resolve("c.bin"), SwarmIT.bytes(new Random(7), 8 * 16384));
        Metainfo meta = Metainfo.parse(new TorrentBuilder(dir.resolve("c.bin")).pieceLength(16384).build(n -> { }));
        InetAddress local = InetAddress.getByName("127.0.0.1");
        List<Raw> raws = new ArrayList<>();
        try (SessionHost host = SessionHost.start(HostOptions.of().withBind(local).withPort(0).withUploadSlots(2))) {
            host.add(meta, SessionOptions.of(dir).withBind(local).withPort(0).withUseTrackers(false));
            long started = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                raws.add(new Raw(host.port(), meta));
            }
            assertThat(Eventually.within(Duration.ofSeconds(5), () -> raws.stream().filter(r -> r.unchoked).count() == 2))
                    .as("the cap of 2 slots is full").isTrue();
            Raw choked = raws.stream().filter(r -> !r.unchoked).findFirst().orElseThrow();
            raws.stream().filter(r -> r.unchoked).findFirst().orElseThrow().close();
            boolean handedOn = Eventually.within(Duration.ofSeconds(3), () -> choked.unchoked);
            long waitedSinceStart = (System.nanoTime() - started) / 1_000_000;
            assertThat(waitedSinceStart).as("still before the first periodic choke round").isLessThan(Choker.ROUND_SECONDS * 1000L - 1000);
            assertThat(handedOn).as("the choked peer got the freed slot").isTrue();
        } finally {
            for (Raw r : raws) {
                r.close();
            }
        }
    }
}
