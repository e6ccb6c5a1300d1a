package simplebt.tracker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP connection around an announce, as clients see it on the wire: a client that asks
 * for {@code Connection: close} is told the connection closes (RFC 9112 section 9.6), one that
 * does not keeps its connection, and a request with or without a body gets its reply.
 */
class AnnounceConnectionTest {
    private static final String ANNOUNCE = "/announce?info_hash=%01%02%03%04%05%06%07%08%09%0a%0b%0c%0d%0e%0f%10%11%12%13%14"
            + "&peer_id=-qB4500-aaaaaaaaaaaa&port=6881&left=0&compact=1";
    @TempDir
    Path dir;
    private TrackerServer server;

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.start(TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0).withOpen(true)
                .withPasswordIterations(1000));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void connectionCloseIsAnsweredWithConnectionCloseAndTheServerCloses() throws Exception {
        try (Socket s = socket()) {
            s.getOutputStream().write(("GET " + ANNOUNCE + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
            String reply = new String(s.getInputStream().readAllBytes(), ISO_8859_1); // ends only when the server closes
            assertThat(reply).startsWith("HTTP/1.1 200 ").containsIgnoringCase("\r\nConnection: close\r\n").contains("5:peers");
        }
    }

    @Test
    void withoutConnectionCloseTheConnectionStaysOpenForTheNextAnnounce() throws Exception {
        try (Socket s = socket()) {
            for (int i = 0; i < 2; i++) {
                s.getOutputStream().write(("GET " + ANNOUNCE + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(ISO_8859_1));
                String head = readHead(s.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 200 ").doesNotContainIgnoringCase("Connection: close");
                s.getInputStream().readNBytes(contentLength(head));
            }
        }
    }

    @Test
    void announcesWithAnEmptyOrADeclaredBodyAreAnswered() throws Exception {
        for (String extra : new String[] {"Content-Length: 0\r\n", "Content-Length: 5\r\n", ""}) {
            String body = extra.contains("5") ? "hello" : "";
            try (Socket s = socket()) {
                s.getOutputStream().write(("GET " + ANNOUNCE + " HTTP/1.1\r\nHost: x\r\n" + extra + "Connection: close\r\n\r\n" + body)
                        .getBytes(ISO_8859_1));
                String reply = new String(s.getInputStream().readAllBytes(), ISO_8859_1);
                assertThat(reply).as(extra).startsWith("HTTP/1.1 200 ").contains("8:intervali").doesNotContain("failure reason");
            }
        }
    }

    private Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000); // a reply that never comes, or a close that never comes, fails instead of hanging
        return s;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.toString(ISO_8859_1));
            }
            head.write(b);
        }
        return head.toString(ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        throw new AssertionError("no Content-Length in " + head);
    }
}
