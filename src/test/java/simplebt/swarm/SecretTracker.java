package simplebt.swarm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeEncoder;

/** Our tracker's announce reply reduced to what the secure tests need: no peers, and {@code sbt secret}. 127.0.0.1. */
public final class SecretTracker {
    private SecretTracker() {
    }

    public static HttpServer start(byte[] secret) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
        byte[] body = BencodeEncoder.encode(BDict.builder().put("interval", 1800).put("peers", new byte[0])
                .put("sbt secret", secret).build());
        server.createContext("/announce", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
