package simplebt.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeDecoder;
import simplebt.metainfo.Metainfo;
import simplebt.tracker.TestTorrents;

/**
 * The user an attack must not hurt: bob, with an account and a registered torrent he seeds.
 * {@link #serve} is what he does every few seconds (announce, read the list), each on a fresh
 * connection bounded by {@link #TIMEOUT_MILLIS}; the times are kept for percentiles.
 */
final class NormalUser {
    static final int TIMEOUT_MILLIS = 5_000;
    private static final String CREDENTIALS = "{\"username\":\"bob\",\"password\":\"correct horse\"}";
    private final String passkey;
    private final String infoHash;
    /** One request: when it started (System.nanoTime) and how long it took. */
    private record Timed(long startNanos, long micros) {
    }

    private final List<Timed> timings = Collections.synchronizedList(new ArrayList<>());

    /** bob's login token: on a private tracker the torrent list is for members only. */
    private String token;

    private NormalUser(String passkey, String infoHash, String token) {
        this.passkey = passkey;
        this.token = token;
        this.infoHash = infoHash;
    }

    /** Signs bob up, logs him in and registers his torrent on the tracker at {@code port}. */
    static NormalUser register(int port) throws Exception {
        assertThat(RawHttp.postJson(port, "/api/signup", CREDENTIALS, 30_000).status()).isEqualTo(201);
        String token = login(port);
        byte[] torrent = TestTorrents.singleFile("bob.iso", 100_000);
        RawHttp.Reply up = RawHttp.send(port, "POST", "/api/torrents", "application/x-bittorrent", torrent, 30_000, token);
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        String passkey = json(RawHttp.send(port, "GET", "/api/me", null, null, 30_000, token))
                .getAsJsonObject().get("passkey").getAsString();
        StringBuilder hash = new StringBuilder();
        for (byte b : Metainfo.parse(torrent).infoHash().bytes()) {
            hash.append('%').append(String.format("%02X", b & 0xff));
        }
        return new NormalUser(passkey, hash.toString(), token);
    }

    static String login(int port) throws IOException {
        RawHttp.Reply r = RawHttp.postJson(port, "/api/login", CREDENTIALS, 30_000);
        assertThat(r.status()).as("bob logs in: %s", r.text()).isEqualTo(200);
        return json(r).getAsJsonObject().get("token").getAsString();
    }

    /** bob announces his torrent and reads the public list; both must work within the timeout. */
    void serve(int port) throws Exception {
        long start = System.nanoTime();
        RawHttp.Reply r = RawHttp.get(port, "/announce/" + passkey + "?info_hash=" + infoHash
                + "&peer_id=-SB0001-bobbobbobbob&port=7000&left=0", TIMEOUT_MILLIS);
        timings.add(new Timed(start, (System.nanoTime() - start) / 1000));
        assertThat(r.status()).isEqualTo(200);
        BDict reply = (BDict) BencodeDecoder.decode(r.body());
        assertThat(reply.has("failure reason")).as("bob's announce: %s", reply).isFalse();
        start = System.nanoTime();
        r = RawHttp.send(port, "GET", "/api/torrents", null, null, TIMEOUT_MILLIS, token);
        timings.add(new Timed(start, (System.nanoTime() - start) / 1000));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("bob.iso");
    }

    /**
     * Drops the times measured so far (e.g. after a baseline), returning their summary: count,
     * p50, p99, and the slowest three with when they started, in seconds after {@code originNanos}.
     */
    String takeLatencies(long originNanos) {
        List<Timed> taken;
        synchronized (timings) {
            taken = new ArrayList<>(timings);
            timings.clear();
        }
        if (taken.isEmpty()) {
            return "no requests";
        }
        List<Long> sorted = taken.stream().map(Timed::micros).sorted().toList();
        StringBuilder slowest = new StringBuilder();
        taken.stream().sorted((a, b) -> Long.compare(b.micros(), a.micros())).limit(3).forEach(t -> slowest.append(
                String.format(" %.1f ms at %+.1f s;", t.micros() / 1000.0, (t.startNanos() - originNanos) / 1e9)));
        return String.format("%d requests, p50 %.1f ms, p99 %.1f ms, slowest:%s", sorted.size(),
                percentile(sorted, 50) / 1000.0, percentile(sorted, 99) / 1000.0, slowest);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /**
     * The data dir after an attack: every JSON file parses, bob is in the accounts file, and a
     * tracker started again on it lets bob log in, lists his torrent and takes his announce.
     */
    void assertDataDirConsistent(Path data, Path log) throws Exception {
        JsonElement accounts = JsonParser.parseString(Files.readString(data.resolve("accounts.json")));
        assertThat(accounts.getAsJsonArray().asList()).anyMatch(a -> a.getAsJsonObject().get("username").getAsString()
                .equals("bob"));
        try (Stream<Path> files = Files.list(data.resolve("torrents"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            }
        }
        try (TrackerProcess again = TrackerProcess.start(data, log, List.of())) {
            token = login(again.port());
            serve(again.port());
        }
    }

    static JsonElement json(RawHttp.Reply r) {
        return JsonParser.parseString(r.text());
    }
}
