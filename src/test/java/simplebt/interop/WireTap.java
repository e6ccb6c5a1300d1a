package simplebt.interop;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;

/**
 * A relay on 127.0.0.1 in front of one peer that keeps a copy of every byte each way, so a test
 * can read what two real clients said to each other (the handshakes and the messages after).
 * Connections that do not open with the plain BitTorrent handshake (an MSE attempt) are kept too
 * and skipped by {@link #plain()}.
 */
final class WireTap implements AutoCloseable {
    /** One relayed connection: what the dialing side sent, and what the dialed side answered. */
    record Capture(ByteArrayOutputStream fromDialer, ByteArrayOutputStream fromTarget) {
        boolean plain() {
            byte[] b = snapshot(fromDialer);
            return b.length >= 20 && b[0] == 19
                    && new String(b, 1, 19, StandardCharsets.US_ASCII).equals(Handshake.PROTOCOL);
        }
    }

    private final ServerSocket server;
    private final int targetPort;
    private final List<Capture> captures = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    WireTap(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket dialer = server.accept();
                Socket target = new Socket(InetAddress.getByName("127.0.0.1"), targetPort);
                sockets.add(dialer);
                sockets.add(target);
                Capture c = new Capture(new ByteArrayOutputStream(), new ByteArrayOutputStream());
                captures.add(c);
                pump(dialer, target, c.fromDialer());
                pump(target, dialer, c.fromTarget());
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    copy.write(buf, 0, n); // ByteArrayOutputStream guards itself
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // either side hung up; the other pump ends the same way
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
    }

    private static byte[] snapshot(ByteArrayOutputStream copy) {
        return copy.toByteArray();
    }

    /** Every relayed connection, in the order they were accepted. */
    List<Capture> all() {
        return List.copyOf(captures);
    }

    /** The connections that opened with the plain BitTorrent handshake. */
    List<Capture> plain() {
        return captures.stream().filter(Capture::plain).toList();
    }

    /** What one side sent: its handshake and the messages after it (as far as they were captured whole). */
    record Said(Handshake handshake, List<Message> messages) {
        /** The first message that is not BEP 10 or a keep-alive: the bitfield, have all or have none. */
        Optional<Message> opening() {
            return messages.stream().filter(m -> !(m instanceof Message.Extended) && !(m instanceof Message.KeepAlive))
                    .findFirst();
        }
    }

    static Said parse(ByteArrayOutputStream copy, MessageCodec codec) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot(copy)));
        Handshake h = Handshake.read(in);
        List<Message> messages = new ArrayList<>();
        try {
            while (true) {
                messages.add(codec.read(in));
            }
        } catch (java.io.EOFException end) {
            // a frame cut off where the capture ends
        }
        return new Said(h, messages);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
