package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a java child process (ours to start and to stop) and collects its output. */
final class NodeProcess {
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private NodeProcess() {
    }

    static Path home() {
        return Path.of(System.getProperty("simplebt.home", ".")).toAbsolutePath();
    }

    /** The java running these tests: build/jdk-home's, never the system default 17. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Result jar(String jarName, Path workDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java().toString(), "-jar", home().resolve(jarName).toString()));
        cmd.addAll(List.of(args));
        return run(cmd, workDir);
    }

    static Result run(List<String> cmd, Path workDir) throws IOException, InterruptedException {
        return run(cmd, workDir, Map.of(), "");
    }

    /** node.jar with extra environment (e.g. XDG_CONFIG_HOME) and text on its stdin. */
    static Result node(Path workDir, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java().toString(), "-jar", home().resolve("node.jar").toString()));
        cmd.addAll(List.of(args));
        return run(cmd, workDir, env, stdin);
    }

    static Result run(List<String> cmd, Path workDir, Map<String, String> env, String stdin)
            throws IOException, InterruptedException {
        Path in = Files.createTempFile("simplebt-in", ".txt");
        Files.writeString(in, stdin, StandardCharsets.UTF_8);
        Path out = Files.createTempFile("simplebt-out", ".txt");
        Path err = Files.createTempFile("simplebt-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("SIMPLEBT_TTY"); // let it see that stdout is a file
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
