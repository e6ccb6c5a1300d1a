package simplebt.swarm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP tracker for the dormant-seed tests, on 127.0.0.1: it records each announce's query,
 * answers every one with a reply a test may change meanwhile, and lets a test hold an answer
 * (to look at a torrent while its announce is in flight).
 */
final class RecordingTracker implements AutoCloseable {
    /** Runs on the tracker's thread before an announce is answered; {@code first}: no announce came before. */
    interface Hold {
        void before(String query, boolean first) throws InterruptedException;
    }

    private final HttpServer server;
    private final List<String> announces = new CopyOnWriteArrayList<>();
    private volatile byte[] reply;
    private volatile Hold hold = (query, first) -> { };

    RecordingTracker(String reply) throws IOException {
        this.reply = reply.getBytes(StandardCharsets.ISO_8859_1);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/announce", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            boolean first = announces.isEmpty();
            announces.add(query);
            try {
                hold.before(query, first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] r = this.reply;
            ex.sendResponseHeaders(200, r.length);
            ex.getResponseBody().write(r);
            ex.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/announce";
    }

    /** Every announce's query so far, in order (a live, thread-safe list). */
    List<String> announces() {
        return announces;
    }

    /** The bencoded answer to every announce from now on. */
    void reply(byte[] bencoded) {
        reply = bencoded;
    }

    void hold(Hold value) {
        hold = value;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
