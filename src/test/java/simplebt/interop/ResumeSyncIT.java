package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;

/**
 * Power-loss order, seen in the system calls of a real {@code node.jar download} under strace:
 * the data file is forced to disk (fdatasync/fsync) after its writes and before the resume file
 * that claims them is renamed into place. Without that order a power cut could leave a resume
 * file vouching for pieces whose bytes never reached the disk.
 */
@Timeout(120)
class ResumeSyncIT {
    private static final Pattern CALL = Pattern.compile("^(\\d+)\\s+(pwrite64|fdatasync|fsync|rename|renameat|renameat2)\\((.*)$");
    private static final Pattern RESUMED = Pattern.compile("^(\\d+)\\s+<\\.\\.\\. (pwrite64) resumed>");

    @TempDir
    Path tmp;

    record Event(String call, String args) {
    }

    @Test
    void dataIsSyncedBeforeEachResumeFileThatClaimsIt() throws Exception {
        assumeTrue(Interop.onPath("strace"), "strace not installed");
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        Files.write(seed.resolve("big.bin"), Interop.bytes(new Random(5), 8 << 20));
        Metainfo meta = Interop.torrent(seed.resolve("big.bin"), tmp.resolve("t.torrent"), null);
        Path trace = tmp.resolve("trace.txt");
        SessionOptions seedOptions = SessionOptions.of(seed).withBind(InetAddress.getByName("127.0.0.1")).withPort(0)
                .withUseTrackers(false);
        try (TorrentSession seeder = TorrentSession.start(meta, seedOptions)) {
            List<String> command = new ArrayList<>(List.of("strace", "-f", "-y", "-qq", "-o", trace.toString(),
                    "-e", "trace=pwrite64,fdatasync,fsync,rename,renameat,renameat2"));
            command.addAll(Interop.node("download", "t.torrent", "--out", "out", "--port", "0", "--bind", "127.0.0.1",
                    "--encryption", "off", "--peer", "127.0.0.1:" + seeder.port()));
            try (Interop.Proc node = new Interop.Proc(command, tmp)) {
                assertThat(node.exit(Duration.ofSeconds(90))).as(node.output()).isZero();
            }
        }
        String data = tmp.resolve("out/big.bin").toRealPath().toString();
        String resume = ".simplebt-resume/" + meta.infoHash().hex() + ".resume";
        List<Event> events = events(Files.readAllLines(trace));

        boolean dirty = false;
        int renames = 0;
        int syncs = 0;
        for (Event e : events) {
            boolean onData = e.args.startsWith(data + ">") || e.args.contains("<" + data + ">");
            switch (e.call) {
                case "pwrite64" -> dirty |= onData;
                case "fdatasync", "fsync" -> {
                    if (onData) {
                        dirty = false;
                        syncs++;
                    }
                }
                default -> {
                    if (e.args.contains(resume + "\"")) {
                        renames++;
                        // Writes still unsynced here may only be pieces the file does not claim; the
                        // last rename claims every piece, so by then nothing may be left unsynced.
                        if (e == lastRename(events, resume)) {
                            assertThat(dirty).as("data written but not synced before the final resume file").isFalse();
                        }
                    }
                }
            }
        }
        System.out.println("strace: " + events.size() + " calls, " + syncs + " data syncs, " + renames + " resume renames");
        assertThat(renames).as("resume file saved").isPositive();
        assertThat(syncs).as("data file synced").isPositive();
    }

    private static Event lastRename(List<Event> events, String resume) {
        Event last = null;
        for (Event e : events) {
            if (e.call.startsWith("rename") && e.args.contains(resume + "\"")) {
                last = e;
            }
        }
        return last;
    }

    /**
     * The calls in completion order for writes (a write counts once it returned) and in start
     * order for syncs and renames, which is the conservative reading of an interleaved trace.
     */
    private static List<Event> events(List<String> lines) {
        List<Event> out = new ArrayList<>();
        Map<String, String> unfinished = new HashMap<>();
        for (String line : lines) {
            Matcher resumed = RESUMED.matcher(line);
            if (resumed.find()) {
                String args = unfinished.remove(resumed.group(1));
                if (args != null) {
                    out.add(new Event("pwrite64", args));
                }
                continue;
            }
            Matcher m = CALL.matcher(line);
            if (!m.find()) {
                continue;
            }
            if (m.group(2).equals("pwrite64") && line.contains("<unfinished ...>")) {
                unfinished.put(m.group(1), m.group(3));
            } else {
                out.add(new Event(m.group(2), m.group(3)));
            }
        }
        return out;
    }
}
