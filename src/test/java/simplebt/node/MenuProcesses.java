package simplebt.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import simplebt.testing.Eventually;

/**
 * Real processes for the menu tests: a tracker, and nodes whose menu is driven through a pipe.
 * Everything binds 127.0.0.1; {@link #close()} destroys exactly the processes started here.
 */
final class MenuProcesses implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("simplebt.home", ".")).toAbsolutePath();
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private final List<Process> started = new ArrayList<>();

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String startTracker(Path data) throws IOException, InterruptedException {
        int port = freePort();
        Process p = new ProcessBuilder(JAVA, "-jar", HOME.resolve("tracker.jar").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--data", data.toString())
                .redirectErrorStream(true).redirectOutput(data.resolveSibling("tracker.log").toFile()).start();
        started.add(p);
        String url = "http://127.0.0.1:" + port;
        waitFor(() -> {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(20), "tracker to listen on " + url);
        return url;
    }

    /** A node menu with its stdin a pipe; its output collects in {@link Piped#output()}. */
    Piped startMenu(Path workDir, Path configDir) throws IOException {
        return startMenu(workDir, configDir, Map.of());
    }

    /** @param env more environment, e.g. SIMPLEBT_DHT_BOOTSTRAP for a menu on a loopback DHT */
    Piped startMenu(Path workDir, Path configDir, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-jar", HOME.resolve("node.jar").toString())
                .directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("XDG_CONFIG_HOME", configDir.toString(), "SIMPLEBT_TTY", "0"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return new Piped(p);
    }

    static void waitFor(Supplier<Boolean> condition, Duration limit, String what) throws InterruptedException {
        if (!Eventually.within(limit, condition::get)) {
            throw new AssertionError("timed out waiting for " + what);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    static final class Piped {
        final Process process;
        private final OutputStream in;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Piped(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
            Thread pump = new Thread(() -> {
                try (InputStream s = process.getInputStream()) {
                    byte[] buffer = new byte[8192];
                    for (int n = s.read(buffer); n >= 0; n = s.read(buffer)) {
                        synchronized (out) {
                            out.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
            pump.setDaemon(true);
            pump.start();
        }

        void type(String... lines) throws IOException {
            for (String line : lines) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            in.flush();
        }

        String output() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        void await(String text, Duration limit) throws InterruptedException {
            await(text, limit, 0);
        }

        /** Waits for {@code text} in the output after its first {@code from} characters. */
        void await(String text, Duration limit, int from) throws InterruptedException {
            try {
                waitFor(() -> output().indexOf(text, from) >= 0, limit, "'" + text + "' in the menu output");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; output so far:\n" + output(), e);
            }
        }

        int exit(Duration limit) throws InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("menu did not exit; output:\n" + output());
            }
            return process.exitValue();
        }
    }

    static void writeRandom(Path file, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new java.util.Random(seed).nextBytes(data);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }
}
