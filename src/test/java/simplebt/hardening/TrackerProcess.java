package simplebt.hardening;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tracker.jar as a child process on 127.0.0.1 and a free port; ours to start and to stop.
 * Its output after the first line goes to {@code log}, so a chatty tracker never blocks on a
 * full pipe.
 */
final class TrackerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("tracker listening on http://[^:]+:(\\d+)/announce.*");
    private final Process process;
    private final int port;

    private TrackerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Path home() {
        return Path.of(System.getProperty("simplebt.home", ".")).toAbsolutePath();
    }

    /** Starts {@code java JVM_OPTS -jar tracker.jar --host 127.0.0.1 --port 0 --data DATA ARGS}. */
    static TrackerProcess start(Path data, Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", home().resolve("tracker.jar").toString(), "--host", "127.0.0.1", "--port", "0",
                "--data", data.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = first == null ? null : LISTENING.matcher(first);
            if (m == null || !m.matches()) {
                throw new IOException("tracker did not start: " + first);
            }
            Thread.ofVirtual().name("tracker-log").start(() -> copy(out, log));
            return new TrackerProcess(p, Integer.parseInt(m.group(1)));
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static void copy(BufferedReader out, Path log) {
        try (var w = java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line; (line = out.readLine()) != null; ) {
                w.write(line);
                w.newLine();
                w.flush();
            }
        } catch (IOException e) {
            // the process ended or the log went away; nothing left to copy
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM (in-flight writes finish), then SIGKILL if it has not ended within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
