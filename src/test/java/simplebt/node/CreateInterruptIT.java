package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `node create` makes its output's folders and temp file before hashing; stopped while it hashes
 * (SIGTERM, and Ctrl-C, run the JVM's shutdown) it must leave neither behind.
 */
class CreateInterruptIT {
    @TempDir
    Path tmp;

    @Test
    void stoppingCreateWhileItHashesLeavesNoTempFileAndNoFolderItMade() throws Exception {
        Path big = tmp.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(16L << 30); // sparse: no disk space, seconds of hashing
        }
        Path out = Files.createDirectory(tmp.resolve("out"));
        Path made = out.resolve("new/deeper"); // folders create makes for its -o
        Process p = new ProcessBuilder(NodeProcess.java().toString(), "-jar", NodeProcess.home().resolve("node.jar").toString(),
                "create", big.toString(), "-o", made.resolve("x.torrent").toString(), "--quiet")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.isDirectory(made) && !NodeCommandsTest.listing(made).isEmpty()) && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(NodeCommandsTest.listing(made)).as("the temp file, made before the first piece")
                    .singleElement().asString().startsWith(".x.torrent").endsWith(".tmp");
            Thread.sleep(200); // well inside the hashing; past the temp file's registration for removal
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("stopped while hashing, not finished").isEqualTo(143);
            assertThat(NodeCommandsTest.listing(out)).as("neither the temp file nor the folders made for it").isEmpty();
        } finally {
            p.destroyForcibly();
        }
    }
}
