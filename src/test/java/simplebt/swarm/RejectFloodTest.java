package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * BEP 6 makes us answer every request we will not serve with a reject. A peer that asks while
 * choked and never reads must not grow our queue of rejects without end: past the reqq we
 * advertise ({@value PeerWriter#MAX_SERVE_QUEUE} unanswered requests) the connection is closed,
 * as it is for a flood of requests we serve.
 */
@Timeout(120)
class RejectFloodTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    /** 600,000 requests: 10 MB of rejects, more than the loopback socket buffers hold (4 MiB send, 16 KiB receive). */
    private static final int ASKED = 600_000;

    @TempDir
    Path tmp;

    @Test
    void aFastPeerThatAsksWhileChokedAndNeverReadsIsClosed() throws Exception {
        byte[] data = new byte[3 * 65536];
        new Random(11).nextBytes(data);
        Files.write(tmp.resolve("r.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(tmp.resolve("r.bin")).pieceLength(65536).build(n -> { }));
        SessionOptions options = SessionOptions.of(tmp).withBind(LOCAL).withPort(0).withUseTrackers(false);
        MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
        try (TorrentSession seed = TorrentSession.start(meta, options); Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16384); // small, so the seed's writer backs up at once
            socket.connect(new InetSocketAddress(LOCAL, seed.port()));
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            byte[] reserved = new byte[8];
            reserved[7] = 0x04; // BEP 6 fast bit
            new Handshake(reserved, meta.infoHash(), Handshake.newPeerId()).write(out);
            out.flush();
            Handshake.read(in);
            try {
                for (int i = 0; i < ASKED; i++) { // never interested, so choked: each one earns a reject
                    codec.write(out, new Message.Request(i % 3, 0, 16384));
                }
                out.flush();
            } catch (SocketException e) {
                // the seed closed while we were still asking: the outcome wanted; the reads see it too
            }
            int rejects = 0;
            try {
                while (true) {
                    if (codec.read(in) instanceof Message.Reject) {
                        rejects++;
                    }
                }
            } catch (EOFException | SocketException e) {
                // closed by the seed. Before the bound it answered every request and the read timed out.
            }
            assertThat(rejects).isLessThan(ASKED);
        }
    }
}
