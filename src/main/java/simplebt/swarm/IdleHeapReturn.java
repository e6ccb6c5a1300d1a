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
 * <p>How much G1 gives back at such a collection is set by the heap free ratios: by default it
 * keeps up to 70 % of the heap free ({@code MaxHeapFreeRatio}) and grows it to keep 40 % free
 * ({@code MinHeapFreeRatio}), so an idle node seeding many torrents kept its heap at several
 * times its live data, 4 MiB region by region. 10 and 20 keep the committed heap within a
 * quarter above what is live: {@code node serve} with 1,000 idle torrents then costs about half
 * the resident memory per torrent (bench/serve-vs-transmission/NOTES.md). Downloads did not get
 * slower or use more CPU with them (bench/transfer, same NOTES): while data moves, G1 sizes the
 * young generation by its pause-time goal, not by these ratios.
 *
 * <p>Set through the JVM's management interface, and only when the options still have their
 * defaults: a user's own {@code -XX:G1PeriodicGCInterval=...} (0 turns it off) or either heap
 * free ratio wins. With another collector the options exist but may do nothing.
 */
final class IdleHeapReturn {
    static final String OPTION = "G1PeriodicGCInterval";
    /** A quiet-heap collection costs a few milliseconds with the node's live data of a few MiB. */
    static final long INTERVAL_MILLIS = 2_000;
    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";
    static final int MIN_FREE_PERCENT = 10;
    static final int MAX_FREE_PERCENT = 20;

    private IdleHeapReturn() {
    }

    /**
     * Sets the interval unless someone else did, and the heap free ratios unless someone set
     * either; true when this call set the interval. Process-wide, set once.
     */
    static boolean enable() {
        tightenFreeRatios();
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

    /** Sets both heap free ratios when both still have their defaults; true when this call set them. */
    static boolean tightenFreeRatios() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm.getVMOption(MIN_FREE).getOrigin() != VMOption.Origin.DEFAULT
                    || vm.getVMOption(MAX_FREE).getOrigin() != VMOption.Origin.DEFAULT) {
                return false;
            }
            // The JVM refuses a minimum above the maximum: lower the minimum first (defaults 40 and 70).
            vm.setVMOption(MIN_FREE, Integer.toString(MIN_FREE_PERCENT));
            vm.setVMOption(MAX_FREE, Integer.toString(MAX_FREE_PERCENT));
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
