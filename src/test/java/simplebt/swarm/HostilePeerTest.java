package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;

/** A fake peer on a raw socket misbehaves; our leecher must never count bad data as done. */
@Timeout(60)
class HostilePeerTest {
    @TempDir
    Path tmp;

    private Metainfo torrent() throws Exception {
        Path f = tmp.resolve("src.bin");
        byte[] data = new byte[3 * 16384 + 5];
        new Random(4).nextBytes(data);
        Files.write(f, data);
        return Metainfo.parse(new TorrentBuilder(f).pieceLength(16384).build(n -> { }));
    }

    /** Serves one connection: handshake, full bitfield, unchoke, then {@code behaviour}. */
    private interface Behaviour {
        void run(DataInputStream in, DataOutputStream out, MessageCodec codec) throws IOException;
    }

    private BlockingQueue<String> fakePeer(ServerSocket server, Metainfo meta, Behaviour behaviour) {
        BlockingQueue<String> events = new ArrayBlockingQueue<>(16);
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                ScriptedSeeder peer = ScriptedSeeder.greet(s, meta);
                DataInputStream in = peer.in();
                DataOutputStream out = peer.out();
                MessageCodec codec = peer.codec();
                behaviour.run(in, out, codec);
                events.add("behaviour done");
                while (true) {
                    codec.read(in);
                }
            } catch (EOFException | java.net.SocketException e) {
                events.add("closed by leecher");
            } catch (IOException e) {
                events.add("error " + e);
            }
        });
        return events;
    }

    private TorrentSession leecher(Metainfo meta, int port) throws Exception {
        return TorrentSession.start(meta, SessionOptions.of(tmp.resolve("out")).withBind(InetAddress.getByName("127.0.0.1"))
                .withPort(0).withUseTrackers(false).withPeers(List.of(new InetSocketAddress("127.0.0.1", port))));
    }

    @Test
    void garbageDataFailsTheHashAndTheSenderIsDropped() throws Exception {
        Metainfo meta = torrent();
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            BlockingQueue<String> events = fakePeer(server, meta, (in, out, codec) -> {
                while (true) {
                    Message m = codec.read(in);
                    if (m instanceof Message.Request r) {
                        codec.write(out, new Message.Piece(r.index(), r.begin(), new byte[r.length()])); // zeros, not the data
                        out.flush();
                    }
                }
            });
            try (TorrentSession s = leecher(meta, server.getLocalPort())) {
                assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("closed by leecher");
                assertThat(s.status().piecesDone()).isZero();
            }
        }
        assertThat(tmp.resolve("out/src.bin")).doesNotExist();
    }

    @Test
    void anOversizedFrameClosesTheConnection() throws Exception {
        Metainfo meta = torrent();
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            BlockingQueue<String> events = fakePeer(server, meta, (in, out, codec) -> {
                out.writeInt(64 << 20); // "a 64 MiB piece message follows"
                out.writeByte(Message.PIECE);
                out.flush();
            });
            try (TorrentSession s = leecher(meta, server.getLocalPort())) {
                assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("behaviour done");
                assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("closed by leecher");
                assertThat(s.status().piecesDone()).isZero();
            }
        }
    }
}
