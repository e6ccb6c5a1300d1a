package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * A peer the tracker lists only in {@code peers6} (BEP 7; our tracker sends IPv6 peers there) is
 * dialed: the seeder listens on ::1 alone and the tracker's IPv4 list is empty (issue 14).
 */
@Timeout(60)
class Peers6SessionTest {
    @TempDir
    Path tmp;

    @Test
    void leecherDownloadsFromAPeerListedOnlyInPeers6() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = new byte[3 * 16384 + 5];
        new Random(6).nextBytes(data);
        Files.write(seed.resolve("v6.bin"), data);
        Metainfo meta = Metainfo.parse(new TorrentBuilder(seed.resolve("v6.bin")).pieceLength(16384).build(n -> { }));
        InetAddress loopback6 = InetAddress.getByName("::1");
        try (TorrentSession seeder = TorrentSession.start(meta, SessionOptions.of(seed).withBind(loopback6).withPort(0)
                .withUseTrackers(false))) {
            HttpServer tracker = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 4);
            byte[] reply = BencodeEncoder.encode(BDict.builder().put("interval", 1800).put("peers", new byte[0])
                    .put("peers6", compact6(loopback6, seeder.port())).build());
            tracker.createContext("/announce", ex -> {
                ex.sendResponseHeaders(200, reply.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(reply);
                }
            });
            tracker.start();
            String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
            try (TorrentSession leecher = TorrentSession.start(meta, SessionOptions.of(tmp.resolve("out"))
                    .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withTrackers(List.of(url)))) {
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(40))).isTrue();
            } finally {
                tracker.stop(0);
            }
        }
        assertThat(Files.readAllBytes(tmp.resolve("out/v6.bin"))).isEqualTo(data);
    }

    private static byte[] compact6(InetAddress address, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(address.getAddress()); // 16 bytes
        out.write(port >>> 8);
        out.write(port & 0xff);
        return out.toByteArray();
    }
}
