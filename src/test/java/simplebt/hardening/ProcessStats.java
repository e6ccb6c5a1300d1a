package simplebt.hardening;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a running process costs, read from Linux's /proc and, for a JVM's heap, from jcmd:
 * OS threads, resident memory, open file descriptors, and heap in use right after a full GC
 * (the only heap figure that says something about leaks).
 */
public final class ProcessStats {
    /** One reading; {@code heapAfterGcKiB} is -1 when it could not be measured. */
    public record Sample(int threads, long rssKiB, int fds, long heapAfterGcKiB) {
        public String heapMiB() {
            return heapAfterGcKiB < 0 ? "n/a" : String.format("%.1f", heapAfterGcKiB / 1024.0);
        }

        public String rssMiB() {
            return String.format("%.1f", rssKiB / 1024.0);
        }

        public String describe() {
            return "threads " + threads + ", fds " + fds + ", heap after GC " + heapMiB() + " MiB, RSS " + rssMiB() + " MiB";
        }
    }

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total[^\\n]*?used (\\d+)K");

    private ProcessStats() {
    }

    public static boolean supported() {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** Threads, RSS and descriptors; with {@code heap}, also a full GC and the heap left in use. */
    public static Sample of(long pid, boolean heap) throws IOException, InterruptedException {
        int threads = 0;
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring(8).trim());
            } else if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        int fds;
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = (int) s.count();
        }
        return new Sample(threads, rss, fds, heap ? heapAfterGcKiB(pid) : -1);
    }

    /** Asks the JVM {@code pid} for a full GC, then for its heap in use (one jcmd run); -1 without jcmd. */
    public static long heapAfterGcKiB(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        Path commands = Files.createTempFile("simplebt-jcmd", ".txt");
        try {
            Files.writeString(commands, "GC.run\nGC.heap_info\n");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", commands.toString())
                    .redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
                Matcher m = HEAP_USED.matcher(out);
                return m.find() ? Long.parseLong(m.group(1)) : -1;
            } finally {
                p.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(commands);
        }
    }
}
