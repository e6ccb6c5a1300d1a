package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;

/** {@code download --only}: the mistakes a person makes are one line, exit 2, and nothing is created. */
class OnlyOptionTest {
    @TempDir
    Path tmp;

    private Path torrent() throws Exception {
        Path src = tmp.resolve("src/set");
        Files.createDirectories(src.resolve("sub"));
        Random r = new Random(5);
        byte[] a = new byte[20_000];
        r.nextBytes(a);
        Files.write(src.resolve("a.bin"), a);
        Files.write(src.resolve("sub/b.txt"), a);
        Path t = tmp.resolve("set.torrent");
        Files.write(t, new TorrentBuilder(src).pieceLength(16384).build(n -> { }));
        return t;
    }

    @Test
    void aGlobThatMatchesNoFileIsOneLineExitTwoAndCreatesNothing() throws Exception {
        Path t = torrent();
        Path out = tmp.resolve("out");
        NodeCommandsTest.Result r = NodeCommandsTest.run("download", t.toString(), "--out", out.toString(),
                "--no-tracker", "--port", "0", "--only", "sub/*.txt", "--only", "*.iso");
        assertThat(r.exit()).isEqualTo(2);
        NodeCommandsTest.assertOneErrorLine(r, "--only '*.iso' matches no file in set");
        assertThat(out).doesNotExist();
    }

    @Test
    void downloadOnlyExitsZeroWithTheChosenFileAndWithoutTheOther() throws Exception {
        Path t = torrent();
        Path out = tmp.resolve("out");
        try (TorrentSession seed = TorrentSession.start(Metainfo.read(t), SessionOptions.of(tmp.resolve("src"))
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false))) {
            NodeCommandsTest.Result r = NodeCommandsTest.run("download", t.toString(), "--out", out.toString(),
                    "--no-tracker", "--port", "0", "--bind", "127.0.0.1", "--encryption", "off",
                    "--peer", "127.0.0.1:" + seed.port(), "--only", "sub/*.txt");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("--only: 1 of 2 files; the others are not created");
        }
        assertThat(Files.readAllBytes(out.resolve("set/sub/b.txt"))).isEqualTo(Files.readAllBytes(tmp.resolve("src/set/sub/b.txt")));
        assertThat(out.resolve("set/a.bin")).doesNotExist();
    }

    @Test
    void anEmptyGlobIsAUsageError() throws Exception {
        Path out = tmp.resolve("out");
        NodeCommandsTest.Result r = NodeCommandsTest.run("download", torrent().toString(), "--out", out.toString(),
                "--no-tracker", "--only", "");
        assertThat(r.exit()).isEqualTo(2);
        NodeCommandsTest.assertOneErrorLine(r, "--only needs a pattern");
        assertThat(out).doesNotExist();
    }
}
