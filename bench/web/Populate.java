package simplebt.tracker.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import simplebt.tracker.TestTorrents;

/**
 * Fills a running tracker with N torrents through its own API (sign up, log in, upload), as
 * members would: usage {@code Populate BASE_URL N}. Eight uploads at a time.
 */
public final class Populate {
    private static final String[] WORDS = {"ubuntu", "debian", "fedora", "arch", "sintel", "bunny", "tears", "steel",
        "libreoffice", "gimp", "blender", "kernel", "openstreetmap", "wikipedia", "archive", "podcast"};

    private Populate() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int n = Integer.parseInt(args[1]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String creds = "{\"username\":\"bench\",\"password\":\"bench password 1\"}";
        http.send(json(base + "/api/signup", creds), HttpResponse.BodyHandlers.discarding());
        String token = http.send(json(base + "/api/login", creds), HttpResponse.BodyHandlers.ofString()).body()
                .replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            Future<?>[] done = new Future<?>[n];
            for (int i = 0; i < n; i++) {
                int k = i;
                done[i] = pool.submit(() -> {
                    String name = WORDS[k % WORDS.length] + "-" + WORDS[(k / 7) % WORDS.length] + "-" + k + ".iso";
                    byte[] t = TestTorrents.singleFile(name, 1_000_000L + 7919L * k);
                    HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/torrents"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-bittorrent")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(t)).build();
                    if (http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() != 201) {
                        failed.incrementAndGet();
                    }
                    return null;
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        System.out.printf("uploaded %d torrents in %.1f s (%d failed)%n", n - failed.get(),
                (System.nanoTime() - start) / 1e9, failed.get());
        if (failed.get() > 0) {
            System.exit(1);
        }
    }

    private static HttpRequest json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
