package simplebt.hardening;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The slowloris attacker: many TCP connections to one port, held open as long as the server
 * lets them. Even-numbered ones send nothing; odd ones send a request a byte per {@link #tick}
 * (a request line, then header after header) and never finish it. Owns every socket it opens;
 * {@link #close} closes what the server has not.
 */
final class Slowloris implements AutoCloseable {
    private static final byte[] DRIBBLE = ("GET /api/torrents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "X-Slow: 1\r\n".repeat(1000)).getBytes(ISO_8859_1);

    private static final class Held {
        final SocketChannel channel;
        final boolean dribbles;
        final long openedNanos;
        int sent;
        long closedAfterMillis = -1;

        Held(SocketChannel channel, boolean dribbles) {
            this.channel = channel;
            this.dribbles = dribbles;
            this.openedNanos = System.nanoTime();
        }
    }

    private final List<Held> held = new ArrayList<>();
    private final ByteBuffer sink = ByteBuffer.allocate(4096);

    /** Opens {@code count} connections to 127.0.0.1:{@code port}. */
    static Slowloris open(int port, int count) throws IOException {
        Slowloris s = new Slowloris();
        try {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < count; i++) {
                SocketChannel c = SocketChannel.open(target);
                c.configureBlocking(false);
                s.held.add(new Held(c, i % 2 == 1));
            }
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Sends the next byte on every dribbling connection and notes which ones the server closed. */
    void tick() {
        for (Held h : held) {
            if (h.closedAfterMillis >= 0) {
                continue;
            }
            try {
                sink.clear();
                int n = h.channel.read(sink); // the server sends nothing here, only closes
                if (n < 0) {
                    closed(h);
                    continue;
                }
                if (h.dribbles && h.sent < DRIBBLE.length) {
                    h.sent += h.channel.write(ByteBuffer.wrap(DRIBBLE, h.sent, 1));
                }
            } catch (IOException reset) {
                closed(h);
            }
        }
    }

    private void closed(Held h) {
        h.closedAfterMillis = Math.max(0, (System.nanoTime() - h.openedNanos) / 1_000_000);
        try {
            h.channel.close();
        } catch (IOException ignored) {
            // already closed by the peer
        }
    }

    int stillOpen() {
        return (int) held.stream().filter(h -> h.closedAfterMillis < 0).count();
    }

    /** The longest time the server let one connection of the kind live, in ms (-1: none closed). */
    long longestLife(boolean dribbles) {
        return held.stream().filter(h -> h.dribbles == dribbles).mapToLong(h -> h.closedAfterMillis).max().orElse(-1);
    }

    long shortestLife(boolean dribbles) {
        return held.stream().filter(h -> h.dribbles == dribbles && h.closedAfterMillis >= 0)
                .mapToLong(h -> h.closedAfterMillis).min().orElse(-1);
    }

    @Override
    public void close() {
        for (Held h : held) {
            try {
                h.channel.close();
            } catch (IOException ignored) {
                // closing is best effort here
            }
        }
    }
}
