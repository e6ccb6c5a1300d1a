package simplebt.secure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A listener on 127.0.0.1 that does what the engine's listener will do with one incoming
 * connection: read the prefix, then hand it to {@link SecureChannel#accept}. Owns its server
 * socket, its one virtual thread, and the accepted connection.
 */
final class TestResponder implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int READ_TIMEOUT_MS = 10_000;

    private final ServerSocket server;
    private final CompletableFuture<Accepted> accepted = new CompletableFuture<>();
    private final Thread thread;

    TestResponder(Collection<SwarmKey> served) throws IOException {
        this(served, TIMEOUT, SecureChannel.PREFIX_LENGTH);
    }

    TestResponder(Collection<SwarmKey> served, Duration timeout, int peekLength) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().name("test-responder").start(() -> {
            try {
                Socket socket = server.accept();
                socket.setSoTimeout(READ_TIMEOUT_MS); // no test hangs forever
                byte[] first = socket.getInputStream().readNBytes(peekLength);
                accepted.complete(SecureChannel.accept(socket, first, List.copyOf(served), timeout));
            } catch (Throwable t) {
                accepted.completeExceptionally(t);
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    /** The accepted connection, or the exception accept threw. */
    Accepted accepted() throws Exception {
        try {
            return accepted.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** What accept threw (fails the test if it succeeded). */
    Throwable failure() throws Exception {
        try {
            Accepted a = accepted.get(30, TimeUnit.SECONDS);
            a.streams().close();
            throw new AssertionError("responder accepted, expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    static Socket connectTo(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    @Override
    public void close() throws Exception {
        server.close();
        accepted.thenAccept(a -> {
            try {
                a.streams().close();
            } catch (IOException ignored) {
                // test teardown
            }
        });
        thread.join(Duration.ofSeconds(15));
    }
}
