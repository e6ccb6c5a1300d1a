package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;

import simplebt.metainfo.Metainfo;

/** tracker.jar as a real process: clean SIGTERM, and nothing acknowledged lost to kill -9. */
class TrackerProcessIT {
    private static final Pattern LISTENING = Pattern.compile("tracker listening on http://[^:]+:(\\d+)/announce.*");
    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    /** A started tracker process, its port, and a reader of its output. */
    private record Tracker(Process process, int port, BufferedReader output) {
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private Tracker start(String... extra) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", Path.of(System.getProperty("simplebt.home"), "tracker.jar").toString(),
                "--host", "127.0.0.1", "--port", "0", "--data", dir.resolve("data").toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("first line of tracker output").isNotNull();
        Matcher m = LISTENING.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return new Tracker(p, Integer.parseInt(m.group(1)), out);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void stopsCleanlyOnSigterm() throws Exception {
        Tracker t = start("--open");
        TrackerHttp http = new TrackerHttp(t.url());
        assertThat(http.get("/api/stats", null).status()).isEqualTo(200);
        t.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stdout
        assertThat(t.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(t.output().readLine()).isEqualTo("tracker stopped");
    }

    /** Completed counts live in memory between flushes; SIGTERM writes them before exiting. */
    @Test
    void sigtermWritesTheCompletedCountsStillInMemory() throws Exception {
        Tracker t = start();
        TrackerHttp http = new TrackerHttp(t.url());
        String token = http.signupAndLogin("uploader");
        String passkey = http.get("/api/me", token).field("passkey");
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] torrent = TestTorrents.singleFile("done-" + i, 1000L + i);
            Metainfo meta = Metainfo.parse(torrent);
            assertThat(http.post("/api/torrents", token, "application/x-bittorrent", torrent).status()).isEqualTo(201);
            TrackerHttp.Reply r = http.get("/announce/" + passkey + "?info_hash=" + TrackerHttp.escape(meta.infoHash().bytes())
                    + "&peer_id=-SB0001-doneeeeeeeee&port=7000&left=0&event=completed", null);
            assertThat(r.text()).doesNotContain("failure reason");
            hashes.add(meta.infoHash().hex());
        }
        t.process().toHandle().destroy(); // SIGTERM
        assertThat(t.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        TrackerHttp after = new TrackerHttp(start().url());
        for (String hash : hashes) {
            assertThat(after.get("/api/torrents/" + hash, token).json().getAsJsonObject().get("completed").getAsLong())
                    .as(hash).isEqualTo(1);
        }
    }

    @Test
    void helpAndBadOptions() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String jar = Path.of(System.getProperty("simplebt.home"), "tracker.jar").toString();
        Process help = new ProcessBuilder(java, "-jar", jar, "--help").redirectErrorStream(true).start();
        started.add(help);
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor()).isZero();
        assertThat(text).startsWith("usage: java -jar tracker.jar").contains("--interval SECONDS");
        Process bad = new ProcessBuilder(java, "-jar", jar, "--port", "nope").redirectErrorStream(true).start();
        started.add(bad);
        String err = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.waitFor()).isEqualTo(2);
        assertThat(err).isEqualTo("error: --port must be a whole number, got 'nope' (see: java -jar tracker.jar --help)\n");
    }

    @Test
    void killNineMidLoadLosesNothingAcknowledged() throws Exception {
        Tracker t = start();
        TrackerHttp http = new TrackerHttp(t.url());
        String token = http.signupAndLogin("uploader");
        String passkey = http.get("/api/me", token).field("passkey");

        List<String> torrents = new CopyOnWriteArrayList<>();
        List<String> users = new CopyOnWriteArrayList<>();
        Map<String, Integer> completions = new ConcurrentHashMap<>();
        List<Thread> load = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int worker = w;
            load.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; ; i++) {
                    try {
                        if (worker == 0) {
                            String name = "user" + i;
                            if (http.postJson("/api/signup", null, "{\"username\":\"" + name + "\",\"password\":\"correct horse\"}")
                                    .status() == 201) {
                                users.add(name);
                            }
                            continue;
                        }
                        byte[] torrent = TestTorrents.singleFile("w" + worker + "-" + i, 1000L * i + worker);
                        Metainfo meta = Metainfo.parse(torrent);
                        if (http.post("/api/torrents", token, "application/x-bittorrent", torrent).status() != 201) {
                            continue;
                        }
                        torrents.add(meta.infoHash().hex());
                        TrackerHttp.Reply r = http.get("/announce/" + passkey + "?info_hash=" + TrackerHttp.escape(meta.infoHash().bytes())
                                + "&peer_id=-SB0001-" + String.format("%012d", i) + "&port=7000&left=0&event=completed", null);
                        if (r.status() == 200 && !r.text().contains("failure reason")) {
                            completions.merge(meta.infoHash().hex(), 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        return; // the tracker died under us: stop this worker
                    }
                }
            }));
        }
        Thread.sleep(1500);
        t.process().destroyForcibly(); // SIGKILL, mid-load
        t.process().waitFor(10, TimeUnit.SECONDS);
        for (Thread th : load) {
            th.join(10_000);
        }
        assertThat(torrents).as("some uploads were acknowledged before the kill").isNotEmpty();

        Tracker again = start();
        TrackerHttp after = new TrackerHttp(again.url());
        List<String> listed = new ArrayList<>();
        Map<String, Long> completed = new ConcurrentHashMap<>();
        for (JsonElement e : after.get("/api/torrents", token).json().getAsJsonArray()) {
            listed.add(e.getAsJsonObject().get("infoHash").getAsString());
            completed.put(e.getAsJsonObject().get("infoHash").getAsString(), e.getAsJsonObject().get("completed").getAsLong());
        }
        assertThat(listed).containsAll(torrents);
        // Completed counts are written in batches (every TorrentRegistry.FLUSH_PERIOD_MILLIS and
        // on a clean stop): kill -9 may lose the last period's, but never invents any.
        completions.forEach((hash, n) -> assertThat(completed.get(hash)).as(hash).isBetween(0L, (long) n));
        String loggedIn = after.postJson("/api/login", null, "{\"username\":\"uploader\",\"password\":\"correct horse\"}").field("token");
        assertThat(after.get("/api/me", token).field("username")).isEqualTo("uploader");
        assertThat(loggedIn).isNotEqualTo(token);
        for (String u : users) {
            assertThat(after.postJson("/api/login", null, "{\"username\":\"" + u + "\",\"password\":\"correct horse\"}").status())
                    .as(u).isEqualTo(200);
        }
    }
}
