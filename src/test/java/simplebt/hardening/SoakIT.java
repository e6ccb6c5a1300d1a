package simplebt.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.testing.Eventually;

/**
 * The soak, long mode only ({@code make soak MINUTES=30}; skipped without
 * {@code -Dsimplebt.soak.minutes}): tracker.jar and 8 node.jar seeders run for the whole time
 * while, step after step, one node creates a file, uploads its .torrent and seeds it, the next
 * downloads it by info hash, and another downloads a long-running seeder's file; every
 * download is checked byte for byte. Once a minute every long-running process is sampled
 * (threads, descriptors, heap after a full GC, RSS); at the end the last quarter of the
 * samples must be close to the first quarter (no leak), and the table is printed and saved to
 * {@code build/soak-report.txt}.
 */
class SoakIT {
    static final String MINUTES = "simplebt.soak.minutes";
    private static final int NODES = 8;
    private static final String PASSWORD = "correct horse\n";

    @TempDir
    Path tmp;
    private final Random random = new Random(42);
    private SoakNodes nodes;
    private String url;
    /** A member's login token (test thread only), made on first use. */
    private String observerToken;
    private final List<String> ownHashes = new ArrayList<>();
    private final List<byte[]> ownContent = new ArrayList<>();

    @Test
    void trackerAndEightNodesPassingFilesAroundStayFlat() throws Exception {
        String minutesText = System.getProperty(MINUTES);
        assumeTrue(minutesText != null, "the soak runs only in long mode: make soak [MINUTES=30]");
        assumeTrue(ProcessStats.supported(), "the soak reads Linux /proc");
        long durationNanos = (long) (Double.parseDouble(minutesText) * 60e9);
        List<String> names = new ArrayList<>(List.of("tracker"));
        List<Long> pids = new ArrayList<>();
        try (TrackerProcess tracker = TrackerProcess.start(tmp.resolve("tracker"), tmp.resolve("tracker.log"), List.of(),
                "--interval", "60");
                SoakNodes started = new SoakNodes(tmp)) {
            nodes = started;
            url = "http://127.0.0.1:" + tracker.port();
            pids.add(tracker.pid());
            List<Process> seeders = new ArrayList<>();
            for (int k = 0; k < NODES; k++) {
                nodes.ok(k, PASSWORD, "signup", "node" + k, "--password-stdin", "--tracker", url);
                nodes.ok(k, PASSWORD, "login", "node" + k, "--password-stdin", "--tracker", url);
                byte[] content = randomBytes(512 << 10);
                Path own = Files.createDirectories(nodes.dir(k).resolve("own"));
                Files.write(own.resolve("own-" + k + ".bin"), content);
                String hash = publish(k, own.resolve("own-" + k + ".bin"), "own-" + k + ".torrent");
                ownHashes.add(hash);
                ownContent.add(content);
                seeders.add(seed(k, hash, "own"));
                names.add("node" + k);
                pids.add(seeders.get(k).pid());
            }
            for (String hash : ownHashes) {
                awaitSeeder(hash);
            }
            SoakSamples samples = new SoakSamples(names);
            long start = System.nanoTime();
            int steps = 0;
            sample(samples, pids, seeders, tracker, start, steps);
            long lastSample = start;
            while (System.nanoTime() - start < durationNanos) {
                step(steps++);
                if (System.nanoTime() - lastSample >= 60_000_000_000L) {
                    lastSample = System.nanoTime();
                    sample(samples, pids, seeders, tracker, start, steps);
                }
            }
            if (System.nanoTime() - lastSample >= 30_000_000_000L) {
                sample(samples, pids, seeders, tracker, start, steps);
            }
            report(samples, steps);
        }
    }

    /** Step {@code s}: node k shares a fresh file with node k+1; node k+2 fetches node k+3's file. */
    private void step(int s) throws Exception {
        int k = s % NODES;
        String name = "fresh-" + s + ".bin";
        byte[] content = randomBytes(64 * 1024 + random.nextInt(960 * 1024));
        Path folder = Files.createDirectories(nodes.dir(k).resolve("fresh-" + s));
        Files.write(folder.resolve(name), content);
        long t0 = System.nanoTime();
        String hash = publish(k, folder.resolve(name), "made-" + s + ".torrent");
        long t1 = System.nanoTime();
        Process seeder = seed(k, hash, "fresh-" + s);
        long t2;
        long t3;
        try {
            awaitSeeder(hash);
            t2 = System.nanoTime();
            fetch((k + 1) % NODES, hash, "got-" + s, name, content);
            t3 = System.nanoTime();
        } finally {
            nodes.stop(seeder);
        }
        long t4 = System.nanoTime();
        int owner = (k + 3) % NODES;
        fetch((k + 2) % NODES, ownHashes.get(owner), "got-own-" + s, "own-" + owner + ".bin", ownContent.get(owner));
        long t5 = System.nanoTime();
        System.out.printf("soak step %d: publish %d ms, seeder up %d ms, fetch %d ms, stop %d ms, fetch own %d ms%n", s,
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000,
                (t5 - t4) / 1_000_000);
        deleteTree(folder);
        Files.deleteIfExists(nodes.dir(k).resolve("made-" + s + ".torrent"));
    }

    /** {@code create} then {@code upload}; the info hash. */
    private String publish(int k, Path file, String torrentName) throws Exception {
        Path dir = nodes.dir(k);
        nodes.ok(k, "", "create", dir.relativize(file).toString(), "-o", torrentName, "--tracker", url + "/announce",
                "--private", "--quiet");
        nodes.ok(k, "", "upload", torrentName);
        return Metainfo.read(dir.resolve(torrentName)).infoHash().hex();
    }

    /** The tracker's passkey copy, checked against the data in {@code folder}, then seeded until stopped. */
    private Process seed(int k, String hash, String folder) throws IOException {
        return nodes.start(k, tmp.resolve("node-" + k + ".log"), "download", hash, "--out", folder, "--seed-after",
                "--bind", "127.0.0.1", "--port", "0", "--quiet");
    }

    private void fetch(int k, String hash, String folder, String name, byte[] expected) throws Exception {
        nodes.ok(k, "", "download", hash, "--out", folder, "--bind", "127.0.0.1", "--port", "0", "--quiet");
        Path got = nodes.dir(k).resolve(folder);
        assertThat(Files.readAllBytes(got.resolve(name))).as("node %d's copy of %s", k, name).isEqualTo(expected);
        deleteTree(got);
        Files.deleteIfExists(nodes.dir(k).resolve("torrents").resolve(name + ".torrent"));
    }

    private void awaitSeeder(String hash) throws Exception {
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        if (observerToken == null) {
            // A private tracker lists torrents to members only: node0's own login reads them.
            observerToken = NormalUser.json(RawHttp.postJson(port, "/api/login",
                    "{\"username\":\"node0\",\"password\":\"correct horse\"}", 30_000))
                    .getAsJsonObject().get("token").getAsString();
        }
        boolean seeded = Eventually.within(Duration.ofSeconds(60), Duration.ofMillis(100), () -> { // each look is an API request
            RawHttp.Reply r = RawHttp.send(port, "GET", "/api/torrents/" + hash, null, null, 10_000, observerToken);
            return r.status() == 200 && NormalUser.json(r).getAsJsonObject().get("seeders").getAsInt() > 0;
        });
        if (!seeded) {
            throw new AssertionError("no seeder announced " + hash + " within 60 s");
        }
    }

    private static void sample(SoakSamples samples, List<Long> pids, List<Process> seeders, TrackerProcess tracker,
            long start, int steps) throws Exception {
        assertThat(tracker.alive()).as("tracker alive").isTrue();
        for (Process p : seeders) {
            assertThat(p.isAlive()).as("seeder %d alive", p.pid()).isTrue();
        }
        List<ProcessStats.Sample> row = new ArrayList<>();
        for (long pid : pids) {
            row.add(ProcessStats.of(pid, true));
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        samples.add(new SoakSamples.Row(minutes, steps, row));
        System.out.printf("soak: %.1f min, %d steps, tracker: %s%n", minutes, steps, row.get(0).describe());
    }

    private static void report(SoakSamples samples, int steps) throws IOException {
        StringBuilder summary = new StringBuilder();
        List<String> problems = samples.problems(summary);
        String report = "soak: " + steps + " steps, " + samples.size() + " samples\n" + samples.table() + "\n" + summary
                + (problems.isEmpty() ? "flat: yes\n" : "NOT flat:\n" + String.join("\n", problems) + "\n");
        System.out.print(report);
        Path home = TrackerProcess.home();
        if (Files.isDirectory(home.resolve("build"))) {
            Files.writeString(home.resolve("build/soak-report.txt"), report);
        }
        assertThat(steps).as("steps done").isPositive();
        assertThat(problems).as("resources that grew").isEmpty();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
