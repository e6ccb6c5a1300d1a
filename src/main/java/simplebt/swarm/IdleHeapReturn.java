package simplebt.swarm;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * Lets the JVM's G1 collector give back heap the node does not use. Users run
 * {@code java -jar node.jar} without flags, so G1 sizes its heap from the machine (384 MiB
 * committed on a 24 GiB one) and, after its one start-up collection, a young generation so
 * large that no second collection comes: each byte the node allocates later lands on a heap
 * page never touched before, and the leecher's resident memory grew with the torrent (about
 * 6 MiB per GiB downloaded). A periodic collection (JEP 346) when none ran for a while lets G1
 * shrink the heap to what is live (under 30 MiB) and reuse those pages from then on.
 *
 * <p>Set through the JVM's management interface, and only when the option still has its
 * default: a user's own {@code -XX:G1PeriodicGCInterval=...} (0 turns it off) wins. With
 * another collector the option exists but does nothing.
 */
final class IdleHeapReturn {
    static final String OPTION = "G1PeriodicGCInterval";
    /** A quiet-heap collection costs a few milliseconds with the node's live data of a few MiB. */
    static final long INTERVAL_MILLIS = 2_000;

    private IdleHeapReturn() {
    }

    /** Sets the interval unless someone else did; true when this call set it. Process-wide, set once. */
    static boolean enable() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm.getVMOption(OPTION).getOrigin() != VMOption.Origin.DEFAULT) {
                return false;
            }
            vm.setVMOption(OPTION, Long.toString(INTERVAL_MILLIS));
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            // A JVM without this option or without management: it keeps its own heap sizing.
            return false;
        }
    }
}
