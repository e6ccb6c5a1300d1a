package simplebt.dht;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Our KRPC queries waiting for their reply (BEP 5), by 2-byte transaction id. A reply is taken
 * only with a waiting query's id and from the address that query went to, so a host that was
 * not asked cannot answer in another node's name. An unanswered query times out. Added to by
 * the querying threads, matched by the node's reader thread: a concurrent map.
 */
final class PendingQueries {
    /** A query about to be sent: its transaction id and the future its reply completes. */
    record Sent(byte[] t, CompletableFuture<KrpcMessage.Response> reply) {
    }

    private record Waiting(InetSocketAddress to, CompletableFuture<KrpcMessage.Response> reply) {
    }

    private final Map<Integer, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger nextT = new AtomicInteger();
    private final Duration timeout;

    PendingQueries(Duration timeout) {
        this.timeout = timeout;
    }

    /** A new id for a query to {@code to}; its future fails with a TimeoutException if no reply comes in time. */
    Sent add(InetSocketAddress to) {
        int key = nextT.getAndIncrement() & 0xffff;
        CompletableFuture<KrpcMessage.Response> reply = new CompletableFuture<>();
        waiting.put(key, new Waiting(to, reply));
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> waiting.remove(key));
        return new Sent(new byte[] {(byte) (key >>> 8), (byte) key}, reply);
    }

    /** The future of the query this reply answers (same id, from the address we asked), no longer waiting; null if none. */
    CompletableFuture<KrpcMessage.Response> match(byte[] t, InetSocketAddress from) {
        if (t.length != 2) {
            return null;
        }
        int key = ((t[0] & 0xff) << 8) | (t[1] & 0xff);
        Waiting w = waiting.get(key);
        return w != null && w.to().equals(from) && waiting.remove(key, w) ? w.reply() : null;
    }

    /** The node is closing: every waiting query ends now instead of at its time-out. */
    void cancelAll() {
        waiting.values().forEach(w -> w.reply().cancel(false));
    }
}
