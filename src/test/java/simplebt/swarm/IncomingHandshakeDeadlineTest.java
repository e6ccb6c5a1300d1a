package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.mse.MseConnection;
import simplebt.mse.MseSocket;
import simplebt.secure.EncryptionMode;
import simplebt.secure.SecureChannel;
import simplebt.secure.SecureStreams;
import simplebt.secure.SwarmKey;
import simplebt.wire.Handshake;

/**
 * The BEP 3 handshake inside an encrypted channel (ours, or MSE) is read within the listener's
 * handshake deadline ({@link PendingHandshakes.Limits#DEFAULT}, 10 s), as a plain one is. Before,
 * only its first 48 bytes (up to the info hash) were; the peer id was read after the hand-off,
 * under the 180 s per-read timeout, so a peer sending a byte every few seconds held a connection
 * slot and a peer thread for up to an hour.
 */
@Timeout(90)
class IncomingHandshakeDeadlineTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    /** Up to the info hash: pstrlen, pstr, reserved, info_hash. */
    private static final int UP_TO_INFO_HASH = 1 + 19 + 8 + 20;
    private static final long DEADLINE_MS = PendingHandshakes.Limits.DEFAULT.deadline().toMillis();

    @TempDir
    Path tmp;

    private interface Channel {
        /** Opens the encrypted channel; returns {in, out} of the pipe inside. */
        Object[] open(Socket socket, Metainfo meta) throws IOException;
    }

    @Test
    void aSecureChannelWhoseInnerHandshakeTricklesIsClosedAtTheDeadline() throws Exception {
        trickleInside((socket, meta) -> {
            SecureStreams s = SecureChannel.connect(socket, SwarmKey.open(meta.infoHash()), Duration.ofSeconds(10));
            return new Object[] {s.in(), s.out()};
        });
    }

    @Test
    void anMseStreamWhoseInnerHandshakeTricklesIsClosedAtTheDeadline() throws Exception {
        trickleInside((socket, meta) -> {
            MseConnection c = MseSocket.connect(socket, meta.infoHash(), MseSocket.DEFAULT_TIMEOUT, 4096);
            return new Object[] {c.in(), c.out()};
        });
    }

    private void trickleInside(Channel channel) throws Exception {
        byte[] data = new byte[40_000];
        new Random(2).nextBytes(data);
        Files.write(tmp.resolve("d.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(tmp.resolve("d.bin")).pieceLength(16384).build(n -> { }));
        SessionOptions options = SessionOptions.of(tmp).withBind(LOCAL).withPort(0).withUseTrackers(false)
                .withEncryption(EncryptionMode.PREFERRED);
        try (TorrentSession seed = TorrentSession.start(meta, options); Socket socket = new Socket(LOCAL, seed.port())) {
            long start = System.nanoTime();
            Object[] pipe = channel.open(socket, meta);
            InputStream in = (InputStream) pipe[0];
            OutputStream out = (OutputStream) pipe[1];
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(new DataOutputStream(bytes));
            byte[] handshake = bytes.toByteArray();
            out.write(handshake, 0, UP_TO_INFO_HASH);
            out.flush();
            // The seed answers only after our whole handshake, so the first read ends with its close.
            CompletableFuture<Long> closedAfterMs = CompletableFuture.supplyAsync(() -> {
                try {
                    while (in.read() >= 0) {
                        // nothing expected
                    }
                } catch (IOException e) {
                    // a reset: closed too
                }
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            });
            try {
                // the peer id, a byte a second: well within any per-read timeout, past the deadline
                for (int i = UP_TO_INFO_HASH; i < Handshake.LENGTH - 1 && !closedAfterMs.isDone(); i++) {
                    Thread.sleep(1_000);
                    out.write(handshake[i]);
                    out.flush();
                }
            } catch (IOException e) {
                // closed by the seed while we trickled
            }
            socket.setSoLinger(true, 0);
            socket.close(); // ends the reader if the seed is still waiting
            assertThat(closedAfterMs.get(10, TimeUnit.SECONDS)).as("ms until the seed closed")
                    .isLessThan(DEADLINE_MS + 3_000);
        }
    }
}
