package simplebt.hardening;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * One HTTP/1.1 request on a fresh connection ({@code Connection: close}), as a BitTorrent
 * client announces: the measured time includes connecting, so a server that is slow to accept
 * shows up. Connect and read are bounded by {@code timeoutMillis}.
 */
public final class RawHttp {
    /** Status and body; status -1 when the server closed without an HTTP reply. */
    public record Reply(int status, byte[] body) {
        public String text() {
            return new String(body, UTF_8);
        }
    }

    private RawHttp() {
    }

    public static Reply get(int port, String path, int timeoutMillis) throws IOException {
        return send(port, "GET", path, null, null, timeoutMillis);
    }

    public static Reply postJson(int port, String path, String json, int timeoutMillis) throws IOException {
        return send(port, "POST", path, "application/json", json.getBytes(UTF_8), timeoutMillis);
    }

    public static Reply send(int port, String method, String path, String contentType, byte[] body, int timeoutMillis)
            throws IOException {
        return send(port, method, path, contentType, body, timeoutMillis, null);
    }

    /** As above, with {@code Authorization: Bearer TOKEN} when {@code token} is not null. */
    public static Reply send(int port, String method, String path, String contentType, byte[] body, int timeoutMillis,
            String token) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            byte[] reply = s.getInputStream().readAllBytes();
            String text = new String(reply, ISO_8859_1);
            int bodyAt = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || bodyAt < 0) {
                return new Reply(-1, reply);
            }
            return new Reply(Integer.parseInt(text.substring(9, 12)), Arrays.copyOfRange(reply, bodyAt + 4, reply.length));
        }
    }
}
