import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import simplebt.metainfo.Metainfo;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * Many raw BEP 3 leechers in one process, for measuring a seeder that serves them (not a test):
 * each connects to 127.0.0.1:PORT, says it is interested and, while unchoked, keeps 32 block
 * requests outstanding: the blocks of a random piece in order, then another piece. Prints the bytes received and how many were ever
 * unchoked after SECONDS.
 *
 * usage: java -cp node.jar bench/tools/ManyLeechers.java TORRENT PORT COUNT SECONDS
 */
public class ManyLeechers {
    public static void main(String[] args) throws Exception {
        Metainfo meta = Metainfo.read(Path.of(args[0]));
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        AtomicLong bytes = new AtomicLong();
        AtomicInteger unchoked = new AtomicInteger();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port);
            sockets.add(s);
            long seed = i;
            Thread.ofVirtual().start(() -> leech(s, meta, new Random(seed), bytes, unchoked));
        }
        Thread.sleep(seconds * 1000);
        System.out.printf("%d leechers: %.1f MiB received, %d were unchoked at some point%n", count,
                bytes.get() / 1048576.0, unchoked.get());
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static void leech(Socket s, Metainfo meta, Random random, AtomicLong bytes, AtomicInteger unchoked) {
        TorrentShape shape = TorrentShape.of(meta.info());
        MessageCodec codec = new MessageCodec(shape);
        try (s) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 65536));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 4096));
            Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
            codec.write(out, new Message.Interested());
            out.flush();
            Handshake.read(in);
            int outstanding = 0;
            int piece = 0;
            int next = Integer.MAX_VALUE;
            boolean everUnchoked = false;
            while (true) {
                Message m = codec.read(in);
                if (m instanceof Message.Unchoke) {
                    if (!everUnchoked) {
                        everUnchoked = true;
                        unchoked.incrementAndGet();
                    }
                    outstanding = 0;
                } else if (m instanceof Message.Piece p) {
                    bytes.addAndGet(p.block().length);
                    outstanding--;
                } else if (m instanceof Message.Choke) {
                    outstanding = Integer.MAX_VALUE; // wait for the next unchoke
                }
                while (outstanding < 32) {
                    if (next >= shape.pieceSize(piece)) { // as clients do: a random piece, its blocks in order
                        piece = random.nextInt(shape.pieceCount());
                        next = 0;
                    }
                    int length = Math.min(Message.MAX_BLOCK, shape.pieceSize(piece) - next);
                    codec.write(out, new Message.Request(piece, next, length));
                    next += length;
                    outstanding++;
                }
                out.flush();
            }
        } catch (IOException e) {
            // closed at the end, or by the seeder
        }
    }
}
