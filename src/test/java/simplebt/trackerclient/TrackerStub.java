package simplebt.trackerclient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeEncoder;

/**
 * A tiny open tracker for tests (until the real tracker is in): remembers who announced for
 * each info hash and answers with the others as compact peers (BEP 23). Records every
 * announce so tests can check events. Binds 127.0.0.1 on a free port.
 */
public final class TrackerStub implements AutoCloseable {
    /** One announce as the tracker saw it. */
    public record Seen(String infoHashHex, int port, String event, long left) {
    }

    private final HttpServer server;
    private final Map<String, Map<Integer, Long>> swarms = new LinkedHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile String failure;

    public TrackerStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/announce", this::announce);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String announceUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/announce";
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** From now on every announce fails with this reason. */
    public void failWith(String reason) {
        failure = reason;
    }

    private void announce(HttpExchange ex) throws IOException {
        Map<String, byte[]> q = query(ex.getRequestURI().getRawQuery());
        BDict reply;
        if (failure != null) {
            reply = BDict.builder().put("failure reason", failure).build();
        } else {
            String hash = HexFormat.of().formatHex(q.getOrDefault("info_hash", new byte[0]));
            int port = Integer.parseInt(text(q, "port", "0"));
            String event = text(q, "event", "");
            seen.add(new Seen(hash, port, event, Long.parseLong(text(q, "left", "0"))));
            byte[] compact;
            synchronized (swarms) {
                Map<Integer, Long> peers = swarms.computeIfAbsent(hash, k -> new LinkedHashMap<>());
                if (event.equals("stopped")) {
                    peers.remove(port);
                } else {
                    peers.put(port, System.nanoTime());
                }
                List<Integer> others = new ArrayList<>(peers.keySet());
                others.remove(Integer.valueOf(port));
                compact = new byte[6 * others.size()];
                for (int i = 0; i < others.size(); i++) {
                    int p = others.get(i);
                    byte[] entry = {127, 0, 0, 1, (byte) (p >> 8), (byte) p};
                    System.arraycopy(entry, 0, compact, 6 * i, 6);
                }
            }
            reply = BDict.builder().put("interval", 5).put("min interval", 1).put("complete", 1)
                    .put("incomplete", 0).put("peers", compact).build();
        }
        byte[] body = BencodeEncoder.encode(reply);
        ex.getResponseHeaders().add("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static String text(Map<String, byte[]> q, String key, String otherwise) {
        byte[] v = q.get(key);
        return v == null ? otherwise : new String(v, StandardCharsets.ISO_8859_1);
    }

    /** Percent-decodes to bytes (info_hash is binary). */
    static Map<String, byte[]> query(String raw) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(key, StandardCharsets.ISO_8859_1),
                    URLDecoder.decode(value, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
