package simplebt.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak's node.jar processes: node {@code k} works in {@code root/node-k} with its own
 * login ({@code XDG_CONFIG_HOME}). Commands either run to the end ({@link #run}) or keep
 * running ({@link #start}); every process started here is stopped by PID in {@link #close}.
 */
final class SoakNodes implements AutoCloseable {
    record Result(int exit, String out) {
    }

    private final Path root;
    private final List<Process> started = new ArrayList<>();

    SoakNodes(Path root) {
        this.root = root;
    }

    Path dir(int k) throws IOException {
        return Files.createDirectories(root.resolve("node-" + k));
    }

    private ProcessBuilder builder(int k, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(TrackerProcess.java(), "-jar",
                TrackerProcess.home().resolve("node.jar").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir(k).toFile()).redirectErrorStream(true);
        pb.environment().remove("SIMPLEBT_TTY");
        pb.environment().put("XDG_CONFIG_HOME", dir(k).resolve("config").toString());
        return pb;
    }

    /** Runs a node command to its end (at most two minutes), {@code stdin} as its input. */
    Result run(int k, String stdin, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(root, "out", ".txt");
        Process p = builder(k, args).redirectOutput(out.toFile()).start();
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("node %d %s finished", k, List.of(args)).isTrue();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    /** Runs a command that must succeed; its output is the failure message otherwise. */
    String ok(int k, String stdin, String... args) throws IOException, InterruptedException {
        Result r = run(k, stdin, args);
        assertThat(r.exit()).as("node %d %s: %s", k, List.of(args), r.out()).isZero();
        return r.out();
    }

    /** Starts a long-running command (a seeder); its output goes to {@code log}. */
    Process start(int k, Path log, String... args) throws IOException {
        Process p = builder(k, args).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        started.add(p);
        return p;
    }

    /** SIGTERM (the node tells the tracker it stopped), SIGKILL after 20 s. */
    void stop(Process p) throws InterruptedException {
        p.toHandle().destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        started.remove(p);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : new ArrayList<>(started)) {
            stop(p);
        }
    }
}
