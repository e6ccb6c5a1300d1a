package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.wire.ExtensionHandshake;
import simplebt.wire.Handshake;
import simplebt.wire.MetadataMessage;

/** BEP 9 served by a seed: a peer that asks for the metadata over and over is closed, not answered forever. */
@Timeout(60)
class MetadataFloodTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private static final int THEIR_ID = 3;

    @TempDir
    Path tmp;

    @Test
    void aPeerAskingForTheMetadataBeyondItsBudgetIsClosed() throws Exception {
        Path dir = tmp.resolve("s");
        Files.createDirectories(dir);
        byte[] data = new byte[200_000];
        new Random(5).nextBytes(data);
        Files.write(dir.resolve("m.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(dir.resolve("m.bin")).pieceLength(16384).build(n -> { }));
        SessionOptions options = SessionOptions.of(dir).withBind(LOCAL).withPort(0).withUseTrackers(false);
        try (TorrentSession seed = TorrentSession.start(meta, options);
             Socket socket = new Socket(LOCAL, seed.port())) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            Handshake.ours(meta.infoHash(), Handshake.newPeerId()).write(out);
            byte[] ours = new ExtensionHandshake(Map.of("ut_metadata", THEIR_ID), Optional.empty(), Optional.empty(),
                    Optional.empty()).encode();
            extended(out, 0, ours);
            out.flush();
            Handshake.read(in);
            byte[] request = new MetadataMessage.Request(0).encode();
            int asked = 5_000; // the budget is 2 x pieces + 16: here 18
            try {
                for (int i = 0; i < asked; i++) {
                    extended(out, 1, request); // 1: the seed's ut_metadata id
                }
                out.flush();
            } catch (java.net.SocketException e) {
                // the seed closed while we were still sending (a broken pipe or a reset): the outcome
                // this test wants; the reads below see the close too
            }
            int answers = 0;
            try {
                while (true) {
                    int length = in.readInt();
                    byte[] frame = new byte[length];
                    in.readFully(frame);
                    if (length >= 2 && frame[0] == 20 && frame[1] == THEIR_ID) {
                        answers++;
                    }
                }
            } catch (EOFException | java.net.SocketException e) {
                // closed by the seed: what a flood should get
            }
            assertThat(answers).isLessThanOrEqualTo(18);
        }
    }

    private static void extended(DataOutputStream out, int id, byte[] payload) throws IOException {
        out.writeInt(2 + payload.length);
        out.writeByte(20);
        out.writeByte(id);
        out.write(payload);
    }
}
