package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.dht.DhtNode;
import simplebt.dht.DhtOptions;
import simplebt.metainfo.Metainfo;
import simplebt.testing.Eventually;

/**
 * `node serve` puts its public remembered torrents on the DHT: a tracker-less torrent that only
 * `serve` seeds is found by a `node download` process through a loopback DHT node of ours, with
 * no tracker and no --peer anywhere.
 */
@Timeout(180)
class ServeDhtIT {
    @TempDir
    Path tmp;

    /** Each process role its own config dir (remembered torrents, dht.dat), never the user's. */
    private Interop.Proc node(String config, String... args) throws Exception {
        return new Interop.Proc(Interop.node(args), tmp, Map.of("XDG_CONFIG_HOME", tmp.resolve(config).toString()));
    }

    @Test
    void aDownloadFindsWhatServeSeedsThroughTheDhtAlone() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DhtNode bootstrap = DhtNode.start(new DhtOptions(loopback, 0, List.of(), null, Duration.ofSeconds(1),
                Duration.ofMinutes(20), Duration.ofSeconds(30)))) {
            String boot = "127.0.0.1:" + bootstrap.port();
            Path content = Interop.content(tmp.resolve("seed"), false, 37);
            Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null); // public, no tracker
            // `seed` (DHT off) only to make the node remember the torrent; then `serve` runs it
            try (Interop.Proc seed = node("config-serve", "seed", "t.torrent", "--data", "seed", "--port", "0",
                    "--bind", "127.0.0.1", "--no-tracker", "--no-dht")) {
                awaitRemembered(meta);
                seed.process.destroy();
                assertThat(seed.exit(Duration.ofSeconds(30))).as(seed.output()).isZero();
            }
            try (Interop.Proc serve = node("config-serve", "serve", "--port", "0", "--bind", "127.0.0.1",
                    "--dht-bootstrap", boot, "--debug")) {
                serve.await(l -> l.contains("dht:") && l.contains("announced to") && !l.contains("announced to 0"),
                        Duration.ofSeconds(60));
                try (Interop.Proc leecher = node("config-download", "download", "t.torrent", "--out", "out", "--port", "0",
                        "--bind", "127.0.0.1", "--no-tracker", "--dht-bootstrap", boot)) {
                    assertThat(leecher.exit(Duration.ofSeconds(90))).as(leecher.output()).isZero();
                    assertThat(leecher.output()).contains("done: single.bin");
                }
                serve.process.destroy();
                assertThat(serve.exit(Duration.ofSeconds(30))).as(serve.output()).isZero();
            }
            Interop.assertSameContent(content, tmp.resolve("out/single.bin"));
        }
    }

    private void awaitRemembered(Metainfo meta) throws Exception {
        String[] last = {""};
        boolean remembered = Eventually.within(Duration.ofSeconds(60), Duration.ofMillis(500), () -> { // each look starts a node
            try (Interop.Proc list = node("config-serve", "torrents", "--json")) {
                assertThat(list.exit(Duration.ofSeconds(60))).as(list.output()).isZero();
                last[0] = list.output();
                return last[0].contains(meta.infoHash().hex()) && last[0].contains("seeding");
            }
        });
        if (!remembered) {
            throw new AssertionError("the seed was not remembered: " + last[0]);
        }
    }
}
