package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `node create` makes its output's temp file before hashing; stopped while it hashes (SIGTERM,
 * and Ctrl-C, run the JVM's shutdown) it must not leave that temp file behind.
 */
class CreateInterruptIT {
    @TempDir
    Path tmp;

    @Test
    void stoppingCreateWhileItHashesLeavesNoTempFile() throws Exception {
        Path big = tmp.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(16L << 30); // sparse: no disk space, seconds of hashing
        }
        Path out = Files.createDirectory(tmp.resolve("out"));
        Process p = new ProcessBuilder(NodeProcess.java().toString(), "-jar", NodeProcess.home().resolve("node.jar").toString(),
                "create", big.toString(), "-o", out.resolve("x.torrent").toString(), "--quiet")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (NodeCommandsTest.listing(out).isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(NodeCommandsTest.listing(out)).as("the temp file, made before the first piece")
                    .singleElement().asString().startsWith(".x.torrent").endsWith(".tmp");
            Thread.sleep(200); // well inside the hashing; past the temp file's registration for removal
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("stopped while hashing, not finished").isEqualTo(143);
            assertThat(NodeCommandsTest.listing(out)).isEmpty();
        } finally {
            p.destroyForcibly();
        }
    }
}
