package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.metainfo.InfoHash;
import simplebt.secure.PeerSecurityMemory;
import simplebt.secure.SecureChannel;
import simplebt.secure.SecureStreams;
import simplebt.secure.SwarmKey;
import simplebt.wire.Handshake;

@Timeout(60)
class PeerListenerTest {
    private static final String PLAIN_HANDSHAKE = "\u0013BitTorrent protocol!" + "x".repeat(47);
    /** The secure greeting's magic ("SBTsec" 0 1) and 12 more bytes: past the listener's 20-byte peek. */
    private static final byte[] SECURE_START = Arrays.copyOf(new byte[] {'S', 'B', 'T', 's', 'e', 'c', 0, 1}, 20);

    @Test
    void plainHandshakeGoesToThePlainPathWithNothingConsumed() throws Exception {
        BlockingQueue<byte[]> plain = new ArrayBlockingQueue<>(1);
        try (PeerListener listener = new PeerListener(InetAddress.getByName("127.0.0.1"), 0, streams -> {
            try {
                plain.add(streams.in().readNBytes(68));
                streams.closer().close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, ForeignHandler.CLOSE);
             Socket s = new Socket("127.0.0.1", listener.port())) {
            OutputStream out = s.getOutputStream();
            // The listener waits for the whole 68-byte handshake before giving it a thread.
            String handshake = PLAIN_HANDSHAKE;
            out.write(handshake.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(new String(plain.poll(10, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1)).isEqualTo(handshake);
        }
    }

    @Test
    void anythingElseGoesToTheForeignHandler() throws Exception {
        BlockingQueue<byte[]> foreign = new ArrayBlockingQueue<>(1);
        ForeignHandler handler = (socket, in, accept) -> {
            foreign.add(in.readNBytes(20));
            socket.close();
        };
        try (PeerListener listener = new PeerListener(InetAddress.getByName("127.0.0.1"), 0, streams -> {
            throw new AssertionError("not plain");
        }, handler);
             Socket s = new Socket("127.0.0.1", listener.port())) {
            byte[] greeting = new byte[20];
            greeting[0] = 0x53; // e.g. a secure-channel hello
            s.getOutputStream().write(greeting);
            s.getOutputStream().flush();
            assertThat(foreign.poll(10, TimeUnit.SECONDS)).isEqualTo(greeting);
        }
    }

    private static InfoHash torrent() {
        byte[] b = new byte[InfoHash.LENGTH];
        Arrays.fill(b, (byte) 7);
        return new InfoHash(b);
    }

    private static PeerListener secureListener(PendingHandshakes.Limits limits, BlockingQueue<PeerStreams> handed)
            throws IOException {
        SwarmKeyHolder key = new SwarmKeyHolder(torrent(), false, Optional.empty());
        key.start(false); // no tracker: the info hash alone keys the channel
        SecureAcceptor secure = new SecureAcceptor(torrent(), key, new PeerSecurityMemory());
        return new PeerListener(InetAddress.getByName("127.0.0.1"), 0, handed::add, secure, limits);
    }

    /** Sends {@code bytes} one every 250 ms on a virtual thread; counts what went out before the close. */
    private static AtomicInteger dribble(OutputStream out, byte[] bytes) {
        AtomicInteger sent = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            try {
                for (byte b : bytes) {
                    Thread.sleep(250);
                    out.write(b);
                    out.flush();
                    sent.incrementAndGet();
                }
            } catch (IOException | InterruptedException e) {
                // closed by the listener: the point of the test
            }
        });
        return sent;
    }

    /** True when the other side closed (end of stream or reset); false when it is still open after {@code waitMs}. */
    private static boolean closedWithin(Socket s, int waitMs) throws IOException {
        s.setSoTimeout(waitMs);
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // anything it sent before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    /**
     * Issue 14: after the 20-byte peek, the rest of a secure hello was read with the 180 s read
     * timeout, which restarts on every byte. 52 bytes at 4 a second took 13 s; the deadline is 2 s.
     */
    @Test
    void aSecureHelloSentAByteAtATimeIsClosedAtTheHandshakeDeadline() throws Exception {
        BlockingQueue<PeerStreams> handed = new ArrayBlockingQueue<>(1);
        try (PeerListener listener = secureListener(new PendingHandshakes.Limits(Duration.ofSeconds(2), 64, 8), handed);
             Socket s = new Socket("127.0.0.1", listener.port())) {
            s.getOutputStream().write(SECURE_START);
            s.getOutputStream().flush();
            AtomicInteger sent = dribble(s.getOutputStream(), new byte[72 - SECURE_START.length]);
            assertThat(closedWithin(s, 8_000)).as("closed by the 2 s deadline").isTrue();
            assertThat(sent.get()).as("hello bytes dribbled before the close").isLessThan(52);
            assertThat(handed).isEmpty();
        }
    }

    /** The deadline covers the BEP 3 handshake inside the channel too (it was read with a 5 s timeout per byte). */
    @Test
    void theHandshakeInsideTheSecureChannelIsUnderTheSameDeadline() throws Exception {
        BlockingQueue<PeerStreams> handed = new ArrayBlockingQueue<>(1);
        try (PeerListener listener = secureListener(new PendingHandshakes.Limits(Duration.ofSeconds(2), 64, 8), handed)) {
            Socket socket = new Socket("127.0.0.1", listener.port());
            SecureStreams s = SecureChannel.connect(socket, SwarmKey.open(torrent()), SecureChannel.DEFAULT_TIMEOUT);
            java.io.ByteArrayOutputStream hs = new java.io.ByteArrayOutputStream();
            Handshake.ours(torrent(), Handshake.newPeerId()).write(new DataOutputStream(hs));
            AtomicInteger sent = dribble(s.out(), hs.toByteArray()); // one record per byte
            assertThat(closedWithin(socket, 8_000)).as("closed by the 2 s deadline").isTrue();
            assertThat(sent.get()).as("handshake bytes dribbled before the close").isLessThan(Handshake.LENGTH);
            assertThat(handed).isEmpty();
            s.close();
        }
    }

    /** A peer that completes its handshake in time is handed on, and its connection outlives the deadline. */
    @Test
    void aPromptHandshakeIsHandedOnAndNotClosedAtTheDeadline() throws Exception {
        BlockingQueue<PeerStreams> handed = new ArrayBlockingQueue<>(1);
        try (PeerListener listener = secureListener(new PendingHandshakes.Limits(Duration.ofSeconds(1), 64, 8), handed)) {
            Socket socket = new Socket("127.0.0.1", listener.port());
            SecureStreams s = SecureChannel.connect(socket, SwarmKey.open(torrent()), SecureChannel.DEFAULT_TIMEOUT);
            Handshake.ours(torrent(), Handshake.newPeerId()).write(new DataOutputStream(s.out()));
            s.out().flush();
            PeerStreams got = handed.poll(5, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(closedWithin(socket, 2_500)).as("still open after the deadline").isFalse();
            got.closer().close();
            s.close();
        }
    }

    /**
     * Two silent connections from one address fill its share; a third makes the oldest give way
     * at once (not at the 10 s deadline), and a handshake that comes in then is served.
     */
    @Test
    void handshakesInProgressPerAddressAreCappedAndTheOldestGivesWay() throws Exception {
        BlockingQueue<byte[]> plain = new ArrayBlockingQueue<>(1);
        try (PeerListener listener = new PeerListener(InetAddress.getByName("127.0.0.1"), 0, streams -> {
            try {
                plain.add(streams.in().readNBytes(68));
                streams.closer().close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, ForeignHandler.CLOSE, new PendingHandshakes.Limits(Duration.ofSeconds(10), 64, 2));
             Socket first = new Socket("127.0.0.1", listener.port());
             Socket second = new Socket("127.0.0.1", listener.port());
             Socket honest = new Socket("127.0.0.1", listener.port())) {
            assertThat(closedWithin(first, 5_000)).as("over the cap: the oldest closed at once").isTrue();
            honest.getOutputStream().write(PLAIN_HANDSHAKE.getBytes(StandardCharsets.ISO_8859_1));
            honest.getOutputStream().flush();
            assertThat(plain.poll(5, TimeUnit.SECONDS)).as("the newcomer is served").isNotNull();
            assertThat(closedWithin(second, 300)).as("the second still waits for its handshake").isFalse();
        }
    }

    @Test
    void handshakesInProgressAreCappedOverall() throws Exception {
        try (PeerListener listener = new PeerListener(InetAddress.getByName("127.0.0.1"), 0, streams -> { },
                ForeignHandler.CLOSE, new PendingHandshakes.Limits(Duration.ofSeconds(10), 2, 8));
             Socket a = new Socket("127.0.0.1", listener.port());
             Socket b = new Socket("127.0.0.1", listener.port());
             Socket other = new Socket()) {
            // a and b admitted first; nothing shows that from outside, so a fixed wait
            Thread.sleep(200);
            other.bind(new InetSocketAddress("127.0.0.2", 0)); // another address: only the overall cap applies
            other.connect(new InetSocketAddress("127.0.0.1", listener.port()));
            assertThat(closedWithin(a, 5_000)).as("over the overall cap: the oldest closed at once").isTrue();
            assertThat(closedWithin(b, 300)).as("b still waits for its handshake").isFalse();
            assertThat(closedWithin(other, 300)).as("the newcomer waits for its handshake").isFalse();
        }
    }
}
