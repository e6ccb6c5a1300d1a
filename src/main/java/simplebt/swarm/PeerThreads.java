package simplebt.swarm;

/**
 * Threads for peer connection I/O (each connection's reader and writer).
 *
 * <p>These are platform threads, not virtual ones, on purpose. With virtual threads every
 * wake-up after a socket read goes through the JDK's poller threads and then waits for a
 * carrier; a thread woken by another on the same carrier runs only when the waker parks. On a
 * busy two-core machine those hops added up: a 1 GiB loopback transfer took 9-10 s with virtual
 * threads and 3.6-4.6 s with platform threads (same code, alternating runs). A connection
 * costs two threads; with the default limit of 60 peers that is 120 threads, which is cheap.
 * Short-lived helpers (ticker, announcer, accept loop) stay virtual.
 */
final class PeerThreads {
    private PeerThreads() {
    }

    static Thread start(String name, Runnable task) {
        return Thread.ofPlatform().name(name).daemon().start(task);
    }

    static Thread unstarted(String name, Runnable task) {
        return Thread.ofPlatform().name(name).daemon().unstarted(task);
    }
}
