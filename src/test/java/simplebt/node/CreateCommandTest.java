package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.node.NodeCommandsTest.Result;

/** `node create` and its output file, through {@link NodeMain#run} in this JVM. */
class CreateCommandTest {
    @TempDir
    Path tmp;

    /**
     * The output is made before hashing: an output that cannot be written is reported without
     * hashing the content first (no progress line), and nothing is left behind. Before, the
     * whole content was hashed (the progress bar reached 100%) and then the write failed.
     */
    @Test
    void anOutputThatCannotBeWrittenFailsBeforeHashing() throws Exception {
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        Path file = Files.write(tmp.resolve("data.bin"), data);
        Files.writeString(tmp.resolve("blocker"), "a file where the output folder should be");

        Result r = NodeCommandsTest.run("create", file.toString(), "-o", tmp.resolve("blocker/x.torrent").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("error: ").contains("blocker");
        assertThat(r.out()).isEmpty(); // no "hashing ..." line: it failed before hashing
        assertThat(NodeCommandsTest.listing(tmp)).containsExactly("blocker", "data.bin");
    }

    @Test
    void aCreatedTorrentLeavesNoTempFileBesideIt() throws Exception {
        Path file = Files.write(tmp.resolve("data.bin"), new byte[70_000]);
        Path out = tmp.resolve("out");
        Result r = NodeCommandsTest.run("create", file.toString(), "-o", out.resolve("x.torrent").toString(), "--quiet");
        assertThat(r.exit()).isZero();
        assertThat(NodeCommandsTest.listing(out)).containsExactly("x.torrent");
    }
}
