package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * BEP 6 with libtorrent, read off the wire through a {@link WireTap}: both handshakes carry the
 * fast bit, and each side opens with have all (the seed) or have none (the empty leecher)
 * instead of a bitfield, in both directions, and the transfer completes. And a scripted peer
 * sees libtorrent reject a request it cannot serve.
 */
@Timeout(120)
class FastExtensionIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void needsLibtorrent() {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed: skipping libtorrent interop");
    }

    private static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false);
    }

    /** The one plain connection: the dialer's words and the target's, with the fast bit checked on both. */
    private static WireTap.Said[] fastConversation(WireTap tap, Metainfo meta) throws Exception {
        List<WireTap.Capture> plain = tap.plain();
        assertThat(plain).as("plain BitTorrent connections through the tap").isNotEmpty();
        MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
        WireTap.Capture c = plain.getFirst();
        WireTap.Said dialer = WireTap.parse(c.fromDialer(), codec);
        WireTap.Said target = WireTap.parse(c.fromTarget(), codec);
        assertThat(dialer.handshake().supportsFast()).as("dialer's fast bit").isTrue();
        assertThat(target.handshake().supportsFast()).as("target's fast bit").isTrue();
        return new WireTap.Said[] {dialer, target};
    }

    @Test
    void weSeedLibtorrentWithHaveAllAndItOpensWithHaveNone() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), true, 61);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        Files.createDirectories(tmp.resolve("out"));
        try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("seed")));
             WireTap tap = new WireTap(us.port())) {
            try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("leech", tmp.resolve("t.torrent"), tmp.resolve("out"),
                    Interop.freePort(), "127.0.0.1:" + tap.port()), tmp)) {
                assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
            }
            WireTap.Said[] said = fastConversation(tap, meta);
            assertThat(said[1].opening()).as("our seeder's first message").contains(new Message.HaveAll());
            assertThat(said[0].opening()).as("libtorrent's first message").contains(new Message.HaveNone());
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    @Test
    void libtorrentSeedsUsWithHaveAllAndWeOpenWithHaveNone() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), true, 62);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("seed", tmp.resolve("t.torrent"), tmp.resolve("seed"),
                port, null), tmp);
             WireTap tap = new WireTap(port)) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            try (TorrentSession us = TorrentSession.start(meta, local(tmp.resolve("out"))
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", tap.port()))))) {
                assertThat(us.awaitCompletion(Duration.ofSeconds(90))).as(lt.output()).isTrue();
            }
            WireTap.Said[] said = fastConversation(tap, meta);
            assertThat(said[0].opening()).as("our leecher's first message").contains(new Message.HaveNone());
            assertThat(said[1].opening()).as("libtorrent's first message").contains(new Message.HaveAll());
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }

    @Test
    void libtorrentRejectsARequestItCannotServe() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), false, 63);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("seed", tmp.resolve("t.torrent"), tmp.resolve("seed"),
                port, null), tmp)) {
            lt.await(l -> l.equals("SEEDING"), Duration.ofSeconds(30));
            rejectOfABadRequest(meta, port);
        }
    }

    /**
     * libtorrent unchokes at once (free upload slots), so the request it cannot serve is one past
     * the end of the short last piece. Its reject names that block, which our own codec refuses
     * to decode (outside the piece), so the answer is read as a raw frame.
     */
    private static void rejectOfABadRequest(Metainfo meta, int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            s.setSoTimeout(15_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
            out.flush();
            assertThat(Handshake.read(in).supportsFast()).as("libtorrent's fast bit").isTrue();
            MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
            codec.write(out, new Message.HaveNone());
            codec.write(out, new Message.Interested());
            int last = meta.info().pieceCount() - 1;
            codec.write(out, new Message.Request(last, 0, Message.MAX_BLOCK)); // the last piece is shorter
            out.flush();
            List<Integer> ids = new java.util.ArrayList<>();
            while (true) {
                int length = in.readInt();
                if (length == 0) {
                    continue;
                }
                byte[] frame = new byte[length];
                in.readFully(frame);
                ids.add(frame[0] & 0xff);
                if (frame[0] == Message.REJECT) {
                    DataInputStream f = new DataInputStream(new java.io.ByteArrayInputStream(frame, 1, length - 1));
                    assertThat(length).isEqualTo(13);
                    assertThat(new int[] {f.readInt(), f.readInt(), f.readInt()}).containsExactly(last, 0, Message.MAX_BLOCK);
                    break;
                }
            }
            assertThat(ids).as("libtorrent opened with have all (id 14)").contains((int) Message.HAVE_ALL);
        }
    }
}
