package simplebt.swarm;

/**
 * Threads for peer connection I/O (each connection's reader and writer): virtual threads, so a
 * node with 200 peers has about as many platform threads as one with 2, and a connection costs
 * two small heap-allocated stacks instead of two native ones.
 *
 * <p>{@code -Dsimplebt.peerThreads=platform} runs them on platform threads instead; it exists
 * for the benchmark row that compares the two in the same run (bench/transfer), not for users.
 * An earlier measurement found virtual threads 2x slower on a busy two-core machine; a quiet
 * re-measurement (issue 13) found about 10 %, and the hand-offs behind it are what the engine
 * avoids now (the reader sends its own requests, see {@link PeerWriter#requestNow}).
 */
final class PeerThreads {
    /** The switch's name and the value that selects platform threads. */
    static final String PROPERTY = "simplebt.peerThreads";
    private static final boolean PLATFORM = "platform".equals(System.getProperty(PROPERTY));

    private PeerThreads() {
    }

    static Thread start(String name, Runnable task) {
        return builder().name(name).start(task);
    }

    static Thread unstarted(String name, Runnable task) {
        return builder().name(name).unstarted(task);
    }

    private static Thread.Builder builder() {
        return PLATFORM ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
    }
}
