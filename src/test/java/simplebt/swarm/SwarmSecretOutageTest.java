package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeEncoder;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.secure.EncryptionMode;
import simplebt.testing.Eventually;
import simplebt.trackerclient.SwarmSecretStore;

/**
 * Two {@code --encryption required} sessions on 127.0.0.1 whose tracker cannot be reached, the
 * seeder given with {@code --peer} (issue 14, "seen when tried"): they used to wait for the swarm
 * secret for ever, showing {@code peers 0} and saying nothing. Now a secret received once is kept
 * in each user's config dir (mode 600) and used after a restart; a torrent without the private
 * flag goes on with the info hash; and while a private torrent really waits, the user is told.
 */
@Timeout(120)
class SwarmSecretOutageTest {
    private static final Duration DONE = Duration.ofSeconds(40);

    @TempDir
    Path tmp;

    private byte[] data;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureWarnings() {
        savedErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
    }

    private Metainfo torrent(boolean isPrivate, String tracker) throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        data = new byte[4 * 16384 + 99];
        new Random(14).nextBytes(data);
        Files.write(seed.resolve("s.bin"), data);
        return Metainfo.parse(new TorrentBuilder(seed.resolve("s.bin")).pieceLength(16384).tracker(tracker)
                .isPrivate(isPrivate).build(n -> { }));
    }

    private static SessionOptions required(Path dir, Path configDir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0)
                .withEncryption(EncryptionMode.REQUIRED).withConfigDir(configDir);
    }

    /** A port nothing listens on: announces fail at once with "connection refused". */
    private static String deadTracker() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return "http://127.0.0.1:" + s.getLocalPort() + "/announce?passkey=0123456789abcdef";
        }
    }

    private boolean transfer(Metainfo meta, Path seederConfig, Path leecherConfig, Duration bound) throws Exception {
        try (TorrentSession seeder = TorrentSession.start(meta, required(tmp.resolve("seed"), seederConfig));
             TorrentSession leecher = TorrentSession.start(meta, required(tmp.resolve("out"), leecherConfig)
                     .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port()))))) {
            boolean done = leecher.awaitCompletion(bound);
            if (!done) {
                assertThat(leecher.status().peers()).isZero();
                assertThat(leecher.status().waitingFor()).as("the user is told what it waits for")
                        .hasValueSatisfying(w -> assertThat(w).contains("swarm secret").contains("tracker unreachable"));
            }
            return done;
        }
    }

    @Test
    void aSecretReceivedOnceCarriesSecureLinksThroughAnOutageAndARestart() throws Exception {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 0x5a);
        HttpServer tracker = SecretTracker.start(secret);
        String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce?passkey=0123456789abcdef";
        Metainfo meta = torrent(true, url);
        Path seederConfig = tmp.resolve("seeder-config");
        Path leecherConfig = tmp.resolve("leecher-config");
        // first run: each user's node announces once, while the tracker is up, and stops
        for (Path config : List.of(seederConfig, leecherConfig)) {
            try (TorrentSession s = TorrentSession.start(meta, required(tmp.resolve(config.getFileName() + "-data"), config))) {
                Eventually.within(Duration.ofSeconds(5), () -> s.swarmSecret().isPresent());
                assertThat(s.swarmSecret()).isPresent();
            }
        }
        tracker.stop(0);
        Path saved = new SwarmSecretStore(leecherConfig).fileFor(meta.infoHash());
        assertThat(Files.readAllBytes(saved)).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved.getParent()))).isEqualTo("rwx------");

        // restart with the tracker gone: the saved secret keys the channel
        assertThat(transfer(meta, seederConfig, leecherConfig, DONE)).isTrue();
        assertThat(Files.readAllBytes(tmp.resolve("out/s.bin"))).isEqualTo(data);
    }

    @Test
    void aTorrentThatIsNotPrivateGoesOnWithTheInfoHashKey() throws Exception {
        Metainfo meta = torrent(false, deadTracker());
        assertThat(transfer(meta, tmp.resolve("c1"), tmp.resolve("c2"), DONE)).isTrue();
        assertThat(Files.readAllBytes(tmp.resolve("out/s.bin"))).isEqualTo(data);
    }

    @Test
    void aPrivateTorrentWithoutASavedSecretWaitsAndSaysWhy() throws Exception {
        Metainfo meta = torrent(true, deadTracker());
        assertThat(transfer(meta, tmp.resolve("c1"), tmp.resolve("c2"), Duration.ofSeconds(12))).isFalse();
        String warnings = stderr.toString(StandardCharsets.UTF_8);
        assertThat(warnings).contains("warning: secure connections are waiting for the tracker's swarm secret; last announce: tracker unreachable: cannot connect (refused or no route).");
        assertThat(warnings.lines().filter(l -> l.contains("waiting for the tracker's swarm secret")).count())
                .as("said once per session, not per dial").isLessThanOrEqualTo(2);
    }
}
