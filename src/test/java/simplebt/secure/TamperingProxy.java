package simplebt.secure;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on 127.0.0.1 for one connection that understands the secure channel's framing
 * just enough to cut each direction into units: unit 0 is the hello (initiator to responder,
 * 72 bytes) or the responder's public key (32 bytes); unit n >= 1 is record #n-1 (header and
 * ciphertext). A {@link Tamper} per direction may change, repeat, hold back or drop units.
 * Owns its server socket, both connection sockets and its two pump threads.
 */
final class TamperingProxy implements AutoCloseable {
    /** Turns one unit into what is forwarded instead (possibly nothing, or several units). */
    interface Tamper {
        List<byte[]> apply(int unit, byte[] bytes);

        static Tamper none() {
            return (unit, bytes) -> List.of(bytes);
        }

        static Tamper flipBit(int unit, int offset, int bit) {
            return (n, bytes) -> {
                if (n == unit) {
                    bytes[offset >= 0 ? offset : bytes.length + offset] ^= (byte) (1 << bit);
                }
                return List.of(bytes);
            };
        }

        static Tamper replay(int unit) {
            return (n, bytes) -> n == unit ? List.of(bytes, bytes.clone()) : List.of(bytes);
        }

        static Tamper drop(int unit) {
            return (n, bytes) -> n == unit ? List.of() : List.of(bytes);
        }

        /** Sends unit {@code first + 1} before unit {@code first}. */
        static Tamper swap(int first) {
            byte[][] held = new byte[1][];
            return (n, bytes) -> {
                if (n == first) {
                    held[0] = bytes;
                    return List.of();
                }
                return n == first + 1 ? List.of(bytes, held[0]) : List.of(bytes);
            };
        }
    }

    private final ServerSocket server;
    private final int targetPort;
    private final Tamper toResponder;
    private final Tamper toInitiator;
    private final ByteArrayOutputStream fromInitiator = new ByteArrayOutputStream();
    private final ByteArrayOutputStream fromResponder = new ByteArrayOutputStream();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Thread acceptor;

    TamperingProxy(int targetPort, Tamper toResponder, Tamper toInitiator) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.toResponder = toResponder;
        this.toInitiator = toInitiator;
        this.acceptor = Thread.ofVirtual().name("proxy-accept").start(this::acceptOne);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every byte the initiator sent, as it sent it (for replaying a whole conversation). */
    byte[] initiatorBytes() {
        synchronized (fromInitiator) {
            return fromInitiator.toByteArray();
        }
    }

    /** Every byte the responder sent, as it sent it. */
    byte[] responderBytes() {
        synchronized (fromResponder) {
            return fromResponder.toByteArray();
        }
    }

    private void acceptOne() {
        try {
            Socket initiator = server.accept();
            Socket responder = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            synchronized (sockets) {
                sockets.add(initiator);
                sockets.add(responder);
                threads.add(Thread.ofVirtual().name("proxy-i2r").start(
                        () -> pump(initiator, responder, Hello.LENGTH, toResponder, fromInitiator)));
                threads.add(Thread.ofVirtual().name("proxy-r2i").start(
                        () -> pump(responder, initiator, X25519.KEY_LENGTH, toInitiator, fromResponder)));
            }
        } catch (IOException e) {
            // server closed before a connection came: nothing to proxy
        }
    }

    private static void pump(Socket from, Socket to, int firstUnit, Tamper tamper, ByteArrayOutputStream log) {
        try {
            DataInputStream in = new DataInputStream(from.getInputStream());
            OutputStream out = to.getOutputStream();
            for (int unit = 0;; unit++) {
                byte[] bytes = readUnit(in, unit == 0 ? firstUnit : -1);
                synchronized (log) {
                    log.writeBytes(bytes);
                }
                for (byte[] b : tamper.apply(unit, bytes)) {
                    out.write(b);
                }
                out.flush();
            }
        } catch (IOException e) {
            // one side ended: pass the end on, keep the other direction running
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // the other side is gone already
            }
        }
    }

    private static byte[] readUnit(DataInputStream in, int fixedLength) throws IOException {
        if (fixedLength > 0) {
            byte[] b = new byte[fixedLength];
            in.readFully(b);
            return b;
        }
        int len = in.readUnsignedShort();
        byte[] b = new byte[2 + len];
        b[0] = (byte) (len >>> 8);
        b[1] = (byte) len;
        in.readFully(b, 2, len);
        return b;
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(Duration.ofSeconds(10));
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(10));
        }
    }
}
