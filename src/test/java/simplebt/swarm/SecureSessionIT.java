package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeEncoder;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.secure.EncryptionMode;

/**
 * Two sessions in one JVM on 127.0.0.1 under each {@code --encryption} mode (issue 7): who gets
 * the file and who is refused. A session in {@code required} mode refuses plain connections
 * both ways, so a finished required-to-required download went through the secure channel.
 */
@Timeout(120)
class SecureSessionIT {
    private static final Duration DONE = Duration.ofSeconds(60);
    /** Long enough for several dials and backoffs; the assertion is that nothing arrived. */
    private static final Duration REFUSED = Duration.ofSeconds(6);

    @TempDir
    Path tmp;

    private byte[] data;

    private Metainfo torrent(String tracker) throws Exception {
        Path seed = tmp.resolve("seed");
        Files.createDirectories(seed);
        data = new byte[5 * 16384 + 77];
        new Random(7).nextBytes(data);
        Files.write(seed.resolve("file.bin"), data);
        TorrentBuilder b = new TorrentBuilder(seed.resolve("file.bin")).pieceLength(16384);
        if (tracker != null) {
            b.tracker(tracker);
        }
        return Metainfo.parse(b.build(n -> { }));
    }

    private static SessionOptions local(Path dir, EncryptionMode mode) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withEncryption(mode);
    }

    private static List<InetSocketAddress> peer(TorrentSession s) {
        return List.of(new InetSocketAddress("127.0.0.1", s.port()));
    }

    /** Seeds with {@code seedMode}, downloads with {@code leechMode} by --peer; true if it finished. */
    private boolean transfer(EncryptionMode seedMode, EncryptionMode leechMode, Duration bound) throws Exception {
        Metainfo meta = torrent(null);
        try (TorrentSession seeder = TorrentSession.start(meta, local(tmp.resolve("seed"), seedMode).withUseTrackers(false));
             TorrentSession leecher = TorrentSession.start(meta, local(tmp.resolve("out"), leechMode).withUseTrackers(false)
                     .withPeers(peer(seeder)))) {
            boolean done = leecher.awaitCompletion(bound);
            if (!done) {
                assertThat(leecher.status().piecesDone()).isZero();
            }
            return done;
        }
    }

    private void assertDownloaded() throws Exception {
        assertThat(Files.readAllBytes(tmp.resolve("out/file.bin"))).isEqualTo(data);
    }

    @Test
    void requiredToRequiredDownloadsTheFile() throws Exception {
        assertThat(transfer(EncryptionMode.REQUIRED, EncryptionMode.REQUIRED, DONE)).isTrue();
        assertDownloaded();
    }

    @Test
    void preferredLeecherGetsTheFileFromARequiredSeeder() throws Exception {
        assertThat(transfer(EncryptionMode.REQUIRED, EncryptionMode.PREFERRED, DONE)).isTrue();
        assertDownloaded();
    }

    @Test
    void preferredLeecherFallsBackToPlainWithASeederThatHasEncryptionOff() throws Exception {
        assertThat(transfer(EncryptionMode.OFF, EncryptionMode.PREFERRED, DONE)).isTrue();
        assertDownloaded();
    }

    @Test
    void requiredSeederRefusesAPlainLeecher() throws Exception {
        assertThat(transfer(EncryptionMode.REQUIRED, EncryptionMode.OFF, REFUSED)).isFalse();
    }

    @Test
    void requiredLeecherNeverTalksPlainToASeederWithEncryptionOff() throws Exception {
        assertThat(transfer(EncryptionMode.OFF, EncryptionMode.REQUIRED, REFUSED)).isFalse();
    }

    @Test
    void requiredNodesWithTheSameSwarmSecretGetTheFile() throws Exception {
        byte[] secret = secret(1);
        try (Stub a = secretTracker(secret); Stub b = secretTracker(secret)) {
            assertThat(transferWithSecrets(a, b, DONE)).isTrue();
        }
        assertDownloaded();
    }

    @Test
    void requiredNodesWithDifferentSwarmSecretsNeverConnect() throws Exception {
        try (Stub a = secretTracker(secret(1)); Stub b = secretTracker(secret(2))) {
            assertThat(transferWithSecrets(a, b, REFUSED)).isFalse();
        }
    }

    /** Each node announces to its own tracker stub (which hands out a secret) and dials the other by --peer. */
    private boolean transferWithSecrets(Stub seedTracker, Stub leechTracker, Duration bound) throws Exception {
        Metainfo meta = torrent(null);
        try (TorrentSession seeder = TorrentSession.start(meta, local(tmp.resolve("seed"), EncryptionMode.REQUIRED)
                .withTrackers(List.of(url(seedTracker))));
             TorrentSession leecher = TorrentSession.start(meta, local(tmp.resolve("out"), EncryptionMode.REQUIRED)
                     .withTrackers(List.of(url(leechTracker))).withPeers(peer(seeder)))) {
            boolean done = leecher.awaitCompletion(bound);
            assertThat(leecher.swarmSecret()).as("the stub's secret arrived").isPresent();
            if (!done) {
                assertThat(leecher.status().piecesDone()).isZero();
            }
            return done;
        }
    }

    private static byte[] secret(int fill) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) fill);
        return s;
    }

    private record Stub(HttpServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String url(Stub stub) {
        return "http://127.0.0.1:" + stub.server().getAddress().getPort() + "/announce";
    }

    private static Stub secretTracker(byte[] secret) throws Exception {
        return new Stub(SecretTracker.start(secret));
    }
}
