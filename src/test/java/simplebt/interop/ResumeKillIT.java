package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.swarm.ScriptedSeeder;
import simplebt.testing.Eventually;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;

/**
 * {@code node.jar download} is killed with SIGKILL half way and started again: it must keep every
 * piece it had verified (the seeder counts what it serves on the second run) and end with the
 * right bytes. The seeder is an honest test peer that serves slowly, so "half way" is reachable.
 */
@Timeout(90)
class ResumeKillIT {
    static final int PIECE = 32768;

    @TempDir
    Path tmp;

    private ServerSocket server;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong connectionsOpen = new AtomicLong();

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private byte[] data;
    private Metainfo meta;

    private void torrent() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        data = Interop.bytes(new Random(17), 4 * 1024 * 1024 - 5000); // partial last piece
        Files.write(seed.resolve("big.bin"), data);
        byte[] raw = new TorrentBuilder(seed.resolve("big.bin")).pieceLength(PIECE).build(n -> { });
        Files.write(tmp.resolve("t.torrent"), raw);
        meta = Metainfo.parse(raw);
    }

    /** A seeder that has everything and serves one block every couple of milliseconds. */
    private int slowSeeder() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connectionsOpen.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private void serve(Socket s) {
        try (s) {
            ScriptedSeeder peer = ScriptedSeeder.greet(s, meta);
            DataInputStream in = peer.in();
            DataOutputStream out = peer.out();
            MessageCodec codec = peer.codec();
            while (true) {
                if (codec.read(in) instanceof Message.Request r) {
                    Thread.sleep(4);
                    long at = (long) r.index() * PIECE + r.begin();
                    codec.write(out, new Message.Piece(r.index(), r.begin(),
                            Arrays.copyOfRange(data, (int) at, (int) at + r.length())));
                    out.flush();
                    served.addAndGet(r.length());
                }
            }
        } catch (IOException | InterruptedException e) {
            // the leecher went away (killed, or done)
        } finally {
            connectionsOpen.decrementAndGet();
        }
    }

    /** Pieces on disk that hash right, as any restart must find them. */
    private int goodPieces(Path file) throws Exception {
        byte[] disk = Files.readAllBytes(file);
        int good = 0;
        for (int i = 0; i < meta.info().pieceCount(); i++) {
            int size = meta.info().pieceSize(i);
            long at = (long) i * PIECE;
            if (at + size <= disk.length && Arrays.equals(MessageDigest.getInstance("SHA-1")
                    .digest(Arrays.copyOfRange(disk, (int) at, (int) at + size)), meta.info().pieceHash(i))) {
                good++;
            }
        }
        return good;
    }

    private Interop.Proc download(int port) throws IOException {
        return new Interop.Proc(Interop.node("download", "t.torrent", "--out", "out", "--port", "0",
                "--bind", "127.0.0.1", "--peer", "127.0.0.1:" + port), tmp);
    }

    private void killHalfWayThenRestart(boolean truncate) throws Exception {
        torrent();
        int port = slowSeeder();
        Path file = tmp.resolve("out/big.bin");
        try (Interop.Proc first = download(port)) {
            Eventually.within(Duration.ofSeconds(40), () -> served.get() >= data.length / 2 || !first.process.isAlive());
            assertThat(served.get()).as(first.output()).isGreaterThanOrEqualTo(data.length / 2);
            first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no last resume save
            first.process.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(Eventually.within(Duration.ofSeconds(20), () -> connectionsOpen.get() == 0))
                .as("the killed node's connections closed").isTrue();
        if (truncate) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(Math.min(f.length(), 10L * PIECE + 1000)); // "cut by hand", mid-piece
            }
        }
        int kept = goodPieces(file);
        int count = meta.info().pieceCount();
        System.out.printf("after kill -9%s: %d of %d pieces verified on disk%n", truncate ? " and truncation" : "", kept, count);
        assertThat(kept).isBetween(1, count - 1);
        long before = served.get();
        try (Interop.Proc second = download(port)) {
            assertThat(second.exit(Duration.ofSeconds(60))).as(second.output()).isZero();
        }
        long again = served.get() - before;
        long missing = (long) (count - kept) * PIECE;
        System.out.printf("second run fetched %d bytes; missing pieces add up to at most %d%n", again, missing);
        assertThat(again).as("bytes fetched after restart").isLessThanOrEqualTo(missing);
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void aKilledDownloadKeepsItsVerifiedPieces() throws Exception {
        killHalfWayThenRestart(false);
    }

    @Test
    void aKilledDownloadWhoseFileWasTruncatedRefetchesOnlyWhatIsGone() throws Exception {
        killHalfWayThenRestart(true);
    }
}
