package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.storage.PieceChecker;
import simplebt.storage.ResumeFile;
import simplebt.storage.Storage;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;

/**
 * {@code node.jar download} runs out of room: a real full file system (a 1 MiB tmpfs mounted
 * where the big file goes; needs root, skipped otherwise) and, always, a per-process file size
 * limit ({@code ulimit -f}: writes past it fail with EFBIG, the JVM ignores SIGXFSZ). Either
 * way the user gets one {@code error:} line and a non-zero exit, and the resume file written on
 * the way out claims only pieces that are really on disk with the right bytes.
 */
@Timeout(120)
class DiskFullIT {
    @TempDir
    Path tmp;

    /** Multi-file torrent: {@code t/big/data.bin} (3 MiB) and {@code t/small.bin}. */
    private Metainfo multiFileTorrent() throws Exception {
        Path content = Files.createDirectories(tmp.resolve("seed/t/big"));
        Random r = new Random(41);
        Files.write(content.resolve("data.bin"), Interop.bytes(r, 3 << 20));
        Files.write(tmp.resolve("seed/t/small.bin"), Interop.bytes(r, 5 * 65536 - 7));
        return Interop.torrent(tmp.resolve("seed/t"), tmp.resolve("t.torrent"), null);
    }

    @Test
    void aFullFileSystemGivesOneErrorLineAndTheResumeFileClaimsOnlyWhatIsOnDisk() throws Exception {
        Metainfo meta = multiFileTorrent();
        Path mountPoint = Files.createDirectories(tmp.resolve("out/t/big"));
        int mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.toString());
        assumeTrue(mounted == 0, "cannot mount a 1 MiB tmpfs (needs root and mount rights): skipping the real "
                + "disk-full case; the file-size-limit case below still covers the write-failure path");
        try {
            String error = downloadFails(meta, List.of());
            assertThat(error).contains("No space left on device");
            // The verifier writes one piece at a time, so the 16 pieces that fit in 1 MiB were written first.
            assertThat(claimed(meta)).as("resume file saved beside the data, outside the full mount").isPresent()
                    .hasValueSatisfying(c -> assertThat(c.cardinality()).isGreaterThanOrEqualTo(16));
        } finally {
            if (run("umount", mountPoint.toString()) != 0) {
                run("umount", "-l", mountPoint.toString());
            }
        }
    }

    @Test
    void aFileSizeLimitGivesOneErrorLineAndTheResumeFileClaimsOnlyWhatIsOnDisk() throws Exception {
        Path content = Files.createDirectories(tmp.resolve("seed"));
        Files.write(content.resolve("big.bin"), Interop.bytes(new Random(43), 2 << 20));
        Metainfo meta = Interop.torrent(content.resolve("big.bin"), tmp.resolve("t.torrent"), null);
        long limitKiB = 1792; // 28 of the 32 pieces fit
        String error = downloadFails(meta, List.of("/bin/bash", "-c", "ulimit -f " + limitKiB + " && exec \"$@\"", "bash"));
        assertThat(error).contains("File too large");
        // No resume file at all (the very first piece failed) claims nothing, which is also right.
        BitSet claimed = claimed(meta).orElse(new BitSet());
        int lastFitting = (int) (limitKiB * 1024 / meta.info().pieceLength()) - 1;
        assertThat(claimed.length() - 1).as("highest piece claimed").isLessThanOrEqualTo(lastFitting);
    }

    /**
     * Downloads from an in-JVM seeder with {@code node.jar} (behind {@code wrapper}, if any) into
     * {@code out}; expects it to fail. Returns the one error line after checking the resume file.
     */
    private String downloadFails(Metainfo meta, List<String> wrapper) throws Exception {
        SessionOptions seedOptions = SessionOptions.of(tmp.resolve("seed")).withBind(InetAddress.getByName("127.0.0.1"))
                .withPort(0).withUseTrackers(false);
        String error;
        try (TorrentSession seeder = TorrentSession.start(meta, seedOptions)) {
            List<String> command = new ArrayList<>(wrapper);
            command.addAll(Interop.node("download", "t.torrent", "--out", "out", "--port", "0", "--bind", "127.0.0.1",
                    "--encryption", "off", "--peer", "127.0.0.1:" + seeder.port()));
            try (Interop.Proc node = new Interop.Proc(command, tmp)) {
                assertThat(node.exit(Duration.ofSeconds(60))).as("exit code; output:\n" + node.output()).isEqualTo(1);
                List<String> errors = node.lines.stream().filter(l -> l.startsWith("error:")).toList();
                System.out.println("what the user sees: " + errors);
                assertThat(errors).as(node.output()).hasSize(1);
                assertThat(node.output()).doesNotContain("Exception").doesNotContain("\tat ");
                error = errors.get(0);
            }
        }
        BitSet claimed = claimed(meta).orElse(new BitSet());
        try (Storage storage = new Storage(tmp.resolve("out"), meta.info())) {
            BitSet onDisk = PieceChecker.check(storage, n -> { });
            System.out.println("resume file claims " + claimed.cardinality() + " pieces; " + onDisk.cardinality()
                    + " of " + meta.info().pieceCount() + " check out on disk");
            BitSet wrong = (BitSet) claimed.clone();
            wrong.andNot(onDisk);
            assertThat(wrong.isEmpty()).as("pieces claimed done but not on disk: " + wrong).isTrue();
            assertThat(claimed.cardinality()).as("not everything").isLessThan(meta.info().pieceCount());
        }
        return error;
    }

    /** The pieces the resume file says are done, if it exists and matches the files' stamps. */
    private Optional<BitSet> claimed(Metainfo meta) throws IOException {
        Path out = tmp.resolve("out");
        try (Storage storage = new Storage(out, meta.info())) {
            return new ResumeFile(out, meta.infoHash()).load(storage);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
