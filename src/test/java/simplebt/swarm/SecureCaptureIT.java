package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.secure.EncryptionMode;
import simplebt.testing.Eventually;

/**
 * What a passive observer on the path sees (issue 7): a loopback capture (tshark) of a transfer
 * between two sessions. In {@code required} mode it holds none of the file's bytes, the info
 * hash, our peer id prefix or the BEP 3 protocol string; with encryption {@code off} it holds all
 * of them, which shows that the search would find them.
 */
@Timeout(120)
class SecureCaptureIT {
    private static final Path TSHARK = Path.of("/usr/bin/tshark");
    private static final byte[] PEER_ID_PREFIX = "-SJ0001-".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path tmp;

    /** What the capture holds, as found by searching its raw bytes (payload is stored verbatim). */
    private record Seen(boolean fileBytes, boolean infoHash, boolean peerId, boolean protocol) {
    }

    @Test
    void aSecureTransferShowsNothingOfTheTorrentOnTheWire() throws Exception {
        assertThat(captureTransfer(EncryptionMode.REQUIRED)).isEqualTo(new Seen(false, false, false, false));
    }

    @Test
    void aPlainTransferShowsEverythingSoTheSearchWorks() throws Exception {
        assertThat(captureTransfer(EncryptionMode.OFF)).isEqualTo(new Seen(true, true, true, true));
    }

    private Seen captureTransfer(EncryptionMode mode) throws Exception {
        assumeTrue(Files.isExecutable(TSHARK), "tshark not installed: skipping the capture test");
        Path seedDir = tmp.resolve("seed");
        Files.createDirectories(seedDir);
        byte[] data = new byte[256 * 1024 + 1000];
        new Random(41).nextBytes(data);
        Files.write(seedDir.resolve("file.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seedDir.resolve("file.bin")).pieceLength(32768).build(n -> { }));
        int seedPort = freePort();
        int leechPort = freePort();
        Path pcap = tmp.resolve(mode.cliName() + ".pcap");
        Process tshark = new ProcessBuilder(TSHARK.toString(), "-i", "lo", "-B", "32", "-f",
                "tcp port " + seedPort + " or tcp port " + leechPort, "-w", pcap.toString())
                .redirectErrorStream(true).start();
        try {
            List<String> output = startCapture(tshark);
            try (TorrentSession seeder = TorrentSession.start(meta, local(seedDir, mode, seedPort));
                 TorrentSession leecher = TorrentSession.start(meta, local(tmp.resolve("out"), mode, leechPort)
                         .withPeers(List.of(new InetSocketAddress("127.0.0.1", seedPort))))) {
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(60))).isTrue();
            }
            awaitCaptured(pcap, data.length); // dumpcap writes behind the transfer, more so on a busy machine
            tshark.destroy(); // SIGTERM: tshark finishes the file and exits
            assertThat(tshark.waitFor(20, TimeUnit.SECONDS)).as(String.join("\n", output)).isTrue();
        } finally {
            if (tshark.isAlive()) {
                tshark.destroyForcibly();
                tshark.waitFor(5, TimeUnit.SECONDS);
            }
        }
        assertThat(Files.readAllBytes(tmp.resolve("out/file.bin"))).isEqualTo(data);
        byte[] capture = Files.readAllBytes(pcap);
        assertThat(capture.length).as("the capture holds the transfer").isGreaterThan(data.length);
        return new Seen(anyChunkIn(capture, data), contains(capture, meta.infoHash().bytes()),
                contains(capture, PEER_ID_PREFIX), contains(capture, PROTOCOL));
    }

    /**
     * Waits until tshark says it is capturing; skips the test when capturing is not permitted here.
     * Returns the lines it printed (kept filling in the background) for failure messages.
     */
    private static List<String> startCapture(Process tshark) throws InterruptedException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch capturing = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(tshark.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    if (line.contains("Capturing on")) {
                        capturing.countDown();
                    }
                }
            } catch (IOException e) {
                // tshark gone
            }
        });
        boolean started = capturing.await(30, TimeUnit.SECONDS);
        if (!started && !tshark.isAlive()) {
            Assumptions.abort("tshark cannot capture on lo here: " + String.join(" | ", lines));
        }
        assertThat(started).as("tshark started capturing: " + lines).isTrue();
        Thread.sleep(1000); // "Capturing on" can come just before the filter is in place
        return lines;
    }

    /** Waits (bounded) until the capture file has grown past the transfer's size, then a little more. */
    private static void awaitCaptured(Path pcap, long bytes) throws Exception {
        Eventually.within(Duration.ofSeconds(15), Duration.ofMillis(100), () -> Files.exists(pcap) && Files.size(pcap) > bytes);
        Thread.sleep(500); // on purpose: the capture's tail (the last segments, the close) is written behind the data
    }

    private static SessionOptions local(Path dir, EncryptionMode mode, int port) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(port)
                .withUseTrackers(false).withEncryption(mode);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Sixteen 64-byte chunks spread over the file: one may straddle two TCP segments, not all. */
    private static boolean anyChunkIn(byte[] capture, byte[] data) {
        for (int i = 0; i < 16; i++) {
            int at = (int) ((long) (data.length - 64) * i / 16);
            if (contains(capture, Arrays.copyOfRange(data, at, at + 64))) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
