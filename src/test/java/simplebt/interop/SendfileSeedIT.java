package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.swarm.TorrentSession;
import simplebt.wire.Handshake;
import simplebt.wire.Message;

/**
 * A node seeding with {@code -Dsimplebt.sendfile=true} (uploads from file to socket, off by
 * default): a raw peer's requests across a file boundary and at the torrent's end get exactly
 * the files' bytes; our own engine downloads everything from it with encryption off and
 * preferred (the secure channel first, whatever the two settle on); a data file cut short after
 * the start gives a disconnect between messages, never a piece of wrong bytes.
 * Content (Interop.content, 64 KiB pieces): set/big.bin 1,000,003 bytes, empty.dat, sub/small.txt
 * 40,000: 16 pieces, the last (56,963 bytes) starts in big.bin and ends in small.txt.
 */
@Timeout(120)
class SendfileSeedIT {
    private static final int LAST = 15;
    private static final int LAST_SIZE = 1_040_003 - LAST * 65536;

    @TempDir
    Path tmp;

    private Interop.Proc seed(Path torrent, int port, String encryption) throws Exception {
        List<String> cmd = new ArrayList<>(Interop.node("seed", torrent.toString(), "--data", tmp.resolve("seed").toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--no-tracker", "--encryption", encryption, "--no-dht"));
        cmd.add(1, "-Dsimplebt.sendfile=true");
        Interop.Proc p = new Interop.Proc(cmd, tmp);
        try {
            p.await(line -> line.startsWith("seeding"), Duration.ofSeconds(30)); // checked, listening
            return p;
        } catch (AssertionError | InterruptedException e) {
            p.close();
            throw e;
        }
    }

    /** The torrent's bytes laid end to end. */
    private byte[] all() throws IOException {
        Path set = tmp.resolve("seed/set");
        byte[] big = Files.readAllBytes(set.resolve("big.bin"));
        byte[] small = Files.readAllBytes(set.resolve("sub/small.txt"));
        byte[] all = Arrays.copyOf(big, big.length + small.length);
        System.arraycopy(small, 0, all, big.length, small.length);
        return all;
    }

    /** Handshake, interested, until unchoked; returns the input stream with the output as [0]. */
    private static DataInputStream unchoked(Socket s, Metainfo meta, DataOutputStream out) throws IOException {
        s.setSoTimeout(15_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        new Handshake(new byte[8], meta.infoHash(), Handshake.newPeerId()).write(out); // no extensions: plain BEP 3
        out.writeInt(1);
        out.writeByte(Message.INTERESTED);
        out.flush();
        Handshake.read(in);
        while (true) {
            byte[] frame = frame(in);
            if (frame.length > 0 && frame[0] == Message.UNCHOKE) {
                return in;
            }
        }
    }

    private static byte[] frame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }

    private static void request(DataOutputStream out, int piece, int begin, int length) throws IOException {
        out.writeInt(13);
        out.writeByte(Message.REQUEST);
        out.writeInt(piece);
        out.writeInt(begin);
        out.writeInt(length);
    }

    /** The next piece message's frame, skipping others (have, keep-alive). */
    private static byte[] nextPiece(DataInputStream in) throws IOException {
        while (true) {
            byte[] frame = frame(in);
            if (frame.length > 0 && frame[0] == Message.PIECE) {
                return frame;
            }
        }
    }

    private static byte[] pieceFrame(int piece, int begin, byte[] all, long from, int length) {
        byte[] f = new byte[9 + length];
        f[0] = Message.PIECE;
        f[1] = (byte) (piece >>> 24); f[2] = (byte) (piece >>> 16); f[3] = (byte) (piece >>> 8); f[4] = (byte) piece;
        f[5] = (byte) (begin >>> 24); f[6] = (byte) (begin >>> 16); f[7] = (byte) (begin >>> 8); f[8] = (byte) begin;
        System.arraycopy(all, (int) from, f, 9, length);
        return f;
    }

    @Test
    void aRawPeerGetsTheFilesBytesAcrossAFileBoundaryAndAtTheEnd() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), true, 71);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        byte[] all = all();
        int port = Interop.freePort();
        try (Interop.Proc seeder = seed(tmp.resolve("t.torrent"), port, "off");
             Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = unchoked(s, meta, out);
            int boundary = 1_000_003 - LAST * 65536 - 100; // 100 bytes of big.bin, then small.txt
            request(out, LAST, boundary, 16384);
            request(out, LAST, LAST_SIZE - 7000, 7000); // the torrent's last bytes
            request(out, 3, 16384, 16384);
            out.flush();
            long base = (long) LAST * 65536;
            assertThat(nextPiece(in)).isEqualTo(pieceFrame(LAST, boundary, all, base + boundary, 16384));
            assertThat(nextPiece(in)).isEqualTo(pieceFrame(LAST, LAST_SIZE - 7000, all, base + LAST_SIZE - 7000, 7000));
            assertThat(nextPiece(in)).isEqualTo(pieceFrame(3, 16384, all, 3 * 65536 + 16384, 16384));
        }
    }

    @Test
    void ourEngineDownloadsEverythingWithEncryptionOffAndPreferred() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), true, 72);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        for (String encryption : List.of("off", "preferred")) {
            int port = Interop.freePort();
            Path out = tmp.resolve("out-" + encryption);
            try (Interop.Proc seeder = seed(tmp.resolve("t.torrent"), port, encryption);
                 TorrentSession us = TorrentSession.start(meta, Interop.localOptions(out).withUseTrackers(false)
                         .withEncryption(simplebt.secure.EncryptionMode.parse(encryption))
                         .withPeers(List.of(new InetSocketAddress("127.0.0.1", port))))) {
                assertThat(us.awaitCompletion(Duration.ofSeconds(60))).as(encryption + "\n" + seeder.output()).isTrue();
            }
            Interop.assertSameContent(content, out.resolve("set"));
        }
    }

    @Test
    void aDataFileCutShortAfterTheStartGivesADisconnectNotWrongBytes() throws Exception {
        Path content = Interop.content(tmp.resolve("seed"), true, 73);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        int port = Interop.freePort();
        try (Interop.Proc seeder = seed(tmp.resolve("t.torrent"), port, "off");
             Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = unchoked(s, meta, out);
            try (FileChannel small = FileChannel.open(content.resolve("sub/small.txt"), StandardOpenOption.WRITE)) {
                small.truncate(1000); // after the seeder checked it
            }
            request(out, LAST, LAST_SIZE - 7000, 7000);
            out.flush();
            List<Integer> ids = new ArrayList<>();
            for (int first; (first = in.read()) >= 0; ) { // closed between messages: the clean end
                int length = first << 24 | in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                byte[] frame = new byte[length];
                in.readFully(frame); // an end inside a message throws: a cut-off message fails the test
                ids.add(length == 0 ? -1 : frame[0] & 0xff);
            }
            assertThat(ids).as("no piece message").doesNotContain((int) Message.PIECE);
        }
    }
}
