package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;

/**
 * {@link Storage#send}: what reaches the other end of a loopback socket is the header, then
 * exactly the torrent's bytes, across files, padding and the torrent's end; a file shorter than
 * the torrent says sends nothing; a socket whose buffer is full still gets every byte.
 */
@Timeout(60)
class StorageSendTest {
    private static final byte[] HEAD = {0, 0, 0, 9, 7, 1, 2, 3, 4, 5, 6, 7, 8};

    @TempDir
    Path tmp;

    /** a (5000), empty (0), a BEP 47 pad (120), b (3000) in "set", 4096-byte pieces: 8120 bytes, the last piece 4024. */
    private Info layout(byte[] all) throws IOException {
        List<FileEntry> files = List.of(new FileEntry(List.of("a"), 5000, 0), new FileEntry(List.of("empty"), 0, 5000),
                new FileEntry(List.of(".pad", "120"), 120, 5000, true), new FileEntry(List.of("b"), 3000, 5120));
        Path set = Files.createDirectories(tmp.resolve("seed/set"));
        Files.write(set.resolve("a"), Arrays.copyOfRange(all, 0, 5000));
        Files.write(set.resolve("empty"), new byte[0]);
        Files.write(set.resolve("b"), Arrays.copyOfRange(all, 5120, 8120));
        return new Info("set", 4096, new byte[2 * 20], files, true, false);
    }

    private static byte[] content() {
        byte[] all = new byte[8120];
        new Random(7).nextBytes(all);
        Arrays.fill(all, 5000, 5120, (byte) 0);
        return all;
    }

    /** A connected loopback pair: [0] the sending end, [1] the receiving end. */
    private static SocketChannel[] pair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            SocketChannel from = SocketChannel.open(server.getLocalAddress());
            return new SocketChannel[] {from, server.accept()};
        }
    }

    /** Sends from a virtual thread (the JDK then keeps the socket non-blocking, as for a peer's writer), closes, returns all received. */
    private static byte[] sendAndReceive(Storage storage, int piece, int begin, int length) throws Exception {
        SocketChannel[] p = pair();
        try (SocketChannel from = p[0]; SocketChannel to = p[1]; InputStream in = to.socket().getInputStream()) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (from) {
                    storage.send(piece, begin, length, ByteBuffer.wrap(HEAD), from);
                    sent.complete(null);
                } catch (Throwable e) {
                    sent.completeExceptionally(e);
                }
            });
            byte[] got = in.readAllBytes();
            sent.join();
            return got;
        }
    }

    private static byte[] headThen(byte[] all, int from, int to) {
        byte[] expected = Arrays.copyOf(HEAD, HEAD.length + to - from);
        System.arraycopy(all, from, expected, HEAD.length, to - from);
        return expected;
    }

    @Test
    void sendsTheHeaderThenTheTorrentsBytesAcrossFilesPaddingAndAtTheEnd() throws Exception {
        byte[] all = content();
        try (Storage storage = new Storage(tmp.resolve("seed"), layout(all))) {
            // piece 1 from 800: the end of a, the empty file, the padding, then b to the torrent's end
            assertThat(sendAndReceive(storage, 1, 800, 4024 - 800)).isEqualTo(headThen(all, 4096 + 800, 8120));
            // inside a only
            assertThat(sendAndReceive(storage, 0, 100, 3000)).isEqualTo(headThen(all, 100, 3100));
            // from a across the empty file into the padding only
            assertThat(sendAndReceive(storage, 1, 890, 24)).isEqualTo(headThen(all, 4986, 5010));
        }
    }

    @Test
    void aFileShorterThanTheTorrentSaysSendsNothing() throws Exception {
        byte[] all = content();
        try (Storage storage = new Storage(tmp.resolve("seed"), layout(all))) {
            try (FileChannel b = FileChannel.open(tmp.resolve("seed/set/b"), StandardOpenOption.WRITE)) {
                b.truncate(1000);
            }
            SocketChannel[] p = pair();
            try (SocketChannel from = p[0]; SocketChannel to = p[1]) {
                assertThatThrownBy(() -> storage.send(1, 800, 4024 - 800, ByteBuffer.wrap(HEAD), from))
                        .isInstanceOf(IOException.class).hasMessageContaining("shorter than the torrent says");
                from.close();
                assertThat(to.socket().getInputStream().readAllBytes()).as("not even the header").isEmpty();
            }
            // what lies before the cut is still served
            assertThat(sendAndReceive(storage, 1, 0, 900)).isEqualTo(headThen(all, 4096, 4996));
        }
    }

    /**
     * 4 MiB through a socket with small buffers whose reader starts late: sendfile finds the
     * socket full many times (the JDK then returns 0 rather than waiting) and every byte still
     * arrives, in order.
     */
    @Test
    void aFullSocketStillGetsEveryByteInOrder() throws Exception {
        int size = 4 << 20;
        byte[] all = new byte[size];
        new Random(9).nextBytes(all);
        Files.createDirectories(tmp.resolve("big"));
        Files.write(tmp.resolve("big/one"), all);
        Info info = new Info("one", 1 << 20, new byte[4 * 20], List.of(new FileEntry(List.of("one"), size, 0)), false, false);
        try (Storage storage = new Storage(tmp.resolve("big"), info)) {
            SocketChannel[] p = pair();
            try (SocketChannel from = p[0]; SocketChannel to = p[1]) {
                from.setOption(StandardSocketOptions.SO_SNDBUF, 65536);
                to.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
                CompletableFuture<Void> sent = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try (from) {
                        for (int piece = 0; piece < 4; piece++) {
                            storage.send(piece, 0, 1 << 20, ByteBuffer.wrap(HEAD), from);
                        }
                        sent.complete(null);
                    } catch (Throwable e) {
                        sent.completeExceptionally(e);
                    }
                });
                Thread.sleep(200); // the sender fills both buffers and waits
                byte[] got = to.socket().getInputStream().readAllBytes();
                sent.join();
                assertThat(got).hasSize(size + 4 * HEAD.length);
                for (int piece = 0; piece < 4; piece++) {
                    int at = piece * ((1 << 20) + HEAD.length);
                    assertThat(Arrays.copyOfRange(got, at, at + HEAD.length)).isEqualTo(HEAD);
                    assertThat(Arrays.equals(got, at + HEAD.length, at + HEAD.length + (1 << 20), all, piece << 20, (piece + 1) << 20))
                            .as("piece " + piece).isTrue();
                }
            }
        }
    }
}
