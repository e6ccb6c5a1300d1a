package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;

/** node.jar and tracker.jar as real processes: exit codes, default paths, plain output. */
class NodeCliIT {
    @TempDir
    Path work;

    @BeforeAll
    static void jarsAreBuilt() {
        Assumptions.assumeTrue(Files.isRegularFile(NodeProcess.home().resolve("node.jar")),
                "node.jar not built: run ./build.sh (make test does)");
    }

    private Path content(String name, int length) throws Exception {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        Path p = work.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, data);
    }

    @Test
    void createWritesTorrentsNameByDefaultAndPrintsPlainLines() throws Exception {
        content("my stuff/a.bin", 200_000);
        content("my stuff/b/c.bin", 3000);

        NodeProcess.Result r = NodeProcess.jar("node.jar", work, "create", "my stuff");

        assertThat(r.exit()).as(r.err()).isZero();
        Path torrent = work.resolve("torrents/my stuff.torrent");
        Metainfo m = Metainfo.read(torrent);
        assertThat(r.out()).contains("info hash: " + m.infoHash().hex() + "\n");
        assertThat(r.out()).doesNotContain("\r").doesNotContain("\033[");
        assertThat(r.out()).containsPattern("(?m)^hashing 100\\.0%  198 KiB / 198 KiB ");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void createRefusesAnExistingOutputThenForceOverwrites() throws Exception {
        content("x.bin", 5000);
        Path out = Files.createDirectories(work.resolve("torrents")).resolve("x.bin.torrent");
        Files.writeString(out, "keep me");

        NodeProcess.Result refused = NodeProcess.jar("node.jar", work, "create", "x.bin");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.errLines().get(0)).startsWith("error: ").contains("already exists", "--force");
        assertThat(Files.readString(out)).isEqualTo("keep me");

        NodeProcess.Result forced = NodeProcess.jar("node.jar", work, "create", "x.bin", "--force", "--quiet");
        assertThat(forced.exit()).isZero();
        assertThat(Metainfo.read(out).info().totalLength()).isEqualTo(5000);
        assertThat(forced.out()).startsWith("info hash: "); // --quiet: no progress, no "created" line
    }

    @Test
    void createOfAnEmptyFolderFailsWithOneLineAndNoOutput() throws Exception {
        Files.createDirectories(work.resolve("void"));
        NodeProcess.Result r = NodeProcess.jar("node.jar", work, "create", "void");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("error: void: folder has no data to share");
        assertThat(work.resolve("torrents")).doesNotExist();
    }

    @Test
    void helpOfNodeAndTrackerExitZero() throws Exception {
        NodeProcess.Result node = NodeProcess.jar("node.jar", work, "--help");
        assertThat(node.exit()).isZero();
        assertThat(node.out()).startsWith("usage: java -jar node.jar").contains("create", "info");

        NodeProcess.Result create = NodeProcess.jar("node.jar", work, "create", "--help");
        assertThat(create.exit()).isZero();
        assertThat(create.out()).startsWith("usage: java -jar node.jar create PATH");

        NodeProcess.Result tracker = NodeProcess.jar("tracker.jar", work, "--help");
        assertThat(tracker.exit()).isZero();
        assertThat(tracker.out()).startsWith("usage: java -jar tracker.jar");
    }

    @Test
    void unknownCommandExitsTwo() throws Exception {
        NodeProcess.Result r = NodeProcess.jar("node.jar", work, "nonsense");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("error: unknown command 'nonsense'; try --help");
    }
}
