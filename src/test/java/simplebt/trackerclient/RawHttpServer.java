package simplebt.trackerclient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP server on 127.0.0.1 that writes exactly the bytes a test gives it, so tests can send
 * what a real tracker of another program might (a trailing newline, unsorted keys) or what a
 * hostile one would (a body that never ends). Serves one request per connection.
 */
final class RawHttpServer implements AutoCloseable {
    /** Writes the response body after the status line and headers have been sent. */
    interface Body {
        void write(OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Thread thread;
    private final AtomicLong bodyBytesSent = new AtomicLong();
    private final AtomicReference<String> lastRequestLine = new AtomicReference<>();

    RawHttpServer(String headers, Body body) throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        thread = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    lastRequestLine.set(readHead(s.getInputStream()));
                    OutputStream out = new CountingStream(s.getOutputStream(), bodyBytesSent);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\n" + headers + "Connection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    body.write(out);
                    out.flush();
                } catch (IOException e) {
                    // the client went away (as it should after a limit): serve the next one
                }
            }
        });
    }

    /** A body of fixed bytes, with a Content-Length. */
    static RawHttpServer fixed(byte[] body) throws IOException {
        return new RawHttpServer("Content-Type: text/plain\r\nContent-Length: " + body.length + "\r\n", out -> out.write(body));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    long bodyBytesSent() {
        return bodyBytesSent.get();
    }

    String lastRequestLine() {
        return lastRequestLine.get();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        int eol = head.indexOf("\r\n");
        return eol < 0 ? head.toString() : head.substring(0, eol);
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        private final AtomicLong count;

        CountingStream(OutputStream out, AtomicLong count) {
            super(out);
            this.count = count;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count.addAndGet(len);
        }
    }
}
