package simplebt.magnet;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import simplebt.metainfo.InfoHash;
import simplebt.wire.ExtensionHandshake;
import simplebt.wire.Handshake;
import simplebt.wire.MetadataMessage;

/**
 * A peer on 127.0.0.1 that offers ut_metadata and lies: it claims {@code claimedSize} and
 * answers each request with a piece whose bytes are flipped. Counts requests it got and notes
 * when the other side hung up on it.
 */
final class LyingMetadataPeer implements AutoCloseable {
    private final ServerSocket server;
    private final InfoHash infoHash;
    private final byte[] info;
    private final int claimedSize;
    final AtomicInteger requests = new AtomicInteger();
    final CountDownLatch droppedUs = new CountDownLatch(1);

    LyingMetadataPeer(InfoHash infoHash, byte[] info, int claimedSize) throws IOException {
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        this.infoHash = infoHash;
        this.info = info.clone();
        this.claimedSize = claimedSize;
        Thread.ofVirtual().start(this::serve);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void serve() {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Handshake.read(in);
            Handshake.ours(infoHash, Handshake.newPeerId()).write(out);
            send(out, 0, new ExtensionHandshake(Map.of("ut_metadata", 3), Optional.of("liar"), Optional.empty(),
                    Optional.empty(), Optional.of(claimedSize)).encode());
            while (true) {
                int length = in.readInt();
                byte[] frame = new byte[length];
                in.readFully(frame);
                if (length > 2 && frame[0] == 20 && frame[1] == 3) {
                    MetadataMessage m = MetadataMessage.decode(java.util.Arrays.copyOfRange(frame, 2, length));
                    requests.incrementAndGet();
                    int from = m.piece() * MetadataMessage.PIECE_SIZE;
                    byte[] piece = java.util.Arrays.copyOfRange(info, from, Math.min(info.length, from + MetadataMessage.PIECE_SIZE));
                    piece[0] ^= 1; // the lie
                    send(out, 1, new MetadataMessage.Data(m.piece(), info.length, piece).encode());
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            droppedUs.countDown();
        } catch (IOException e) {
            droppedUs.countDown();
        }
    }

    private static void send(DataOutputStream out, int id, byte[] payload) throws IOException {
        out.writeInt(2 + payload.length);
        out.writeByte(20);
        out.writeByte(id);
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
