package simplebt.node;

import java.util.concurrent.atomic.AtomicBoolean;

import simplebt.log.Log;

/**
 * What Ctrl-C means in the menu: during a transfer it asks the transfer to stop (and the menu
 * goes on); anywhere else it ends the program. The JDK has no public API for SIGINT, so this
 * one class uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK).
 */
final class CtrlC {
    private final AtomicBoolean inTransfer = new AtomicBoolean();
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    void install() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {
                if (inTransfer.get()) {
                    stopRequested.set(true);
                } else {
                    System.out.println();
                    System.exit(130);
                }
            });
        } catch (IllegalArgumentException e) {
            Log.debug("SIGINT cannot be handled here (ignored by the parent?): " + e.getMessage());
        }
    }

    /** Marks the start of a transfer; Ctrl-C now stops it instead of exiting. */
    void beginTransfer() {
        stopRequested.set(false);
        inTransfer.set(true);
    }

    void endTransfer() {
        inTransfer.set(false);
        stopRequested.set(false);
    }

    boolean stopRequested() {
        return stopRequested.get();
    }
}
