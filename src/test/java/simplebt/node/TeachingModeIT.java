package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;

/**
 * Teaching mode: {@code java -cp 'lib/*' src/main/java/simplebt/node/NodeMain.java info X}
 * straight from the source tree. JDK 22+ (JEP 458) compiles the other classes it needs by
 * finding them under the source root by package.
 */
class TeachingModeIT {
    @TempDir
    Path tmp;

    @Test
    void infoRunsFromSource() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 22,
                "multi-file source launch needs JDK 22+, tests run on " + Runtime.version());
        Path file = Files.write(tmp.resolve("lesson.txt"), "bencode is simple".repeat(1000).getBytes());
        Path torrent = Files.write(tmp.resolve("lesson.torrent"), new TorrentBuilder(file).build(d -> { }));
        String hash = Metainfo.read(torrent).infoHash().hex();

        // "lib/*" is one argument: java itself expands the wildcard (no shell here).
        NodeProcess.Result r = NodeProcess.run(List.of(NodeProcess.java().toString(), "-cp", "lib/*",
                "src/main/java/simplebt/node/NodeMain.java", "info", torrent.toString()), NodeProcess.home());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("name:         lesson.txt", "info hash:    " + hash);
    }
}
