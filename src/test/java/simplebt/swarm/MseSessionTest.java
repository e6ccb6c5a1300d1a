package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.mse.CryptoMethod;
import simplebt.mse.MseConnection;
import simplebt.mse.MseException;
import simplebt.mse.MseException.Kind;
import simplebt.mse.MseMemory;
import simplebt.mse.MseSocket;
import simplebt.secure.EncryptionMode;
import simplebt.wire.Handshake;

/**
 * A seeding session and MSE: who answers an MSE initiator (only {@code preferred}), what comes
 * through it (the BitTorrent handshake, RC4-encrypted), and the outgoing side's plain retry.
 */
@Timeout(60)
class MseSessionTest {
    @TempDir
    Path tmp;

    private Metainfo seed() throws Exception {
        Path dir = tmp.resolve("seed");
        Files.createDirectories(dir);
        byte[] data = new byte[3 * 16384 + 5];
        new Random(3).nextBytes(data);
        Files.write(dir.resolve("file.bin"), data);
        return Metainfo.parse(new TorrentBuilder(dir.resolve("file.bin")).pieceLength(16384).build(n -> { }));
    }

    private TorrentSession start(Metainfo meta, EncryptionMode mode) throws Exception {
        return TorrentSession.start(meta, SessionOptions.of(tmp.resolve("seed")).withBind(InetAddress.getByName("127.0.0.1"))
                .withPort(0).withUseTrackers(false).withEncryption(mode));
    }

    private static InetSocketAddress address(TorrentSession s) {
        return new InetSocketAddress("127.0.0.1", s.port());
    }

    /** Sends our BEP 3 handshake through {@code out} and reads the peer's from {@code in}. */
    private static Handshake exchange(java.io.InputStream in, java.io.OutputStream out, InfoHash torrent) throws Exception {
        Handshake.ours(torrent, Handshake.newPeerId()).write(new DataOutputStream(out));
        out.flush();
        return Handshake.read(new DataInputStream(in));
    }

    @Test
    void aPreferredSessionAnswersMseWithRc4AndTheHandshakeInside() throws Exception {
        Metainfo meta = seed();
        try (TorrentSession seeder = start(meta, EncryptionMode.PREFERRED);
             Socket s = new Socket(InetAddress.getByName("127.0.0.1"), seeder.port())) {
            MseConnection c = MseSocket.connect(s, meta.infoHash(), MseSocket.DEFAULT_TIMEOUT, 4096);
            assertThat(c.method()).isEqualTo(CryptoMethod.RC4);
            assertThat(exchange(c.in(), c.out(), meta.infoHash()).infoHash()).isEqualTo(meta.infoHash());
        }
    }

    @Test
    void offAndRequiredSessionsCloseAnMseAttempt() throws Exception {
        Metainfo meta = seed();
        for (EncryptionMode mode : new EncryptionMode[] {EncryptionMode.OFF, EncryptionMode.REQUIRED}) {
            try (TorrentSession seeder = start(meta, mode);
                 Socket s = new Socket(InetAddress.getByName("127.0.0.1"), seeder.port())) {
                assertThatThrownBy(() -> MseSocket.connect(s, meta.infoHash(), MseSocket.DEFAULT_TIMEOUT, 4096))
                        .as(mode.cliName())
                        .isInstanceOfSatisfying(MseException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_ANSWER));
            }
        }
    }

    @Test
    void anMseHandshakeForAnotherTorrentIsDropped() throws Exception {
        Metainfo meta = seed();
        byte[] other = new byte[20];
        Arrays.fill(other, (byte) 9);
        try (TorrentSession seeder = start(meta, EncryptionMode.PREFERRED);
             Socket s = new Socket(InetAddress.getByName("127.0.0.1"), seeder.port())) {
            assertThatThrownBy(() -> MseSocket.connect(s, new InfoHash(other), MseSocket.DEFAULT_TIMEOUT, 4096))
                    .isInstanceOfSatisfying(MseException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE));
        }
    }

    @Test
    void theConnectorUsesMseWhereItWorksAndRetriesPlainWhereItIsClosed() throws Exception {
        Metainfo meta = seed();
        MseMemory memory = new MseMemory();
        MseConnector connector = new MseConnector(meta.infoHash(), memory, new PlainTransport(), MseSocket.DEFAULT_TIMEOUT);
        try (TorrentSession preferred = start(meta, EncryptionMode.PREFERRED)) {
            PeerStreams p = connector.connect(address(preferred));
            assertThat(exchange(p.in(), p.out(), meta.infoHash()).infoHash()).isEqualTo(meta.infoHash());
            p.closer().close();
            assertThat(memory.plan(meta.infoHash(), address(preferred))).isEqualTo(MseMemory.Plan.MSE_THEN_PLAIN);
        }
        try (TorrentSession off = start(meta, EncryptionMode.OFF)) {
            PeerStreams p = connector.connect(address(off)); // MSE closed, then plain
            assertThat(exchange(p.in(), p.out(), meta.infoHash()).infoHash()).isEqualTo(meta.infoHash());
            p.closer().close();
            assertThat(memory.plan(meta.infoHash(), address(off))).as("remembered: goes plain at once next time")
                    .isEqualTo(MseMemory.Plan.PLAIN);
        }
    }
}
