package simplebt.node;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import simplebt.swarm.SessionHost;

/**
 * The JVM shutdown hook of a command that runs torrents: on Ctrl-C or SIGTERM it closes the
 * host (every tracker hears {@code stopped}, in parallel; resume files are saved), then halts
 * with 0 for a stop we were asked for (a seeder, or downloads that are done) and 130 for
 * downloads cut short.
 */
final class HostShutdown {
    private final Thread hook;

    /**
     * @param host     the host to close, once there is one (null before)
     * @param finished true when every download is done
     * @param seeding  a seeder ends by being stopped: exit 0
     */
    HostShutdown(Supplier<SessionHost> host, BooleanSupplier finished, boolean seeding) {
        this(host, finished, seeding, h -> { });
    }

    /** @param afterClose runs once the host has closed (the node's torrent list saves its totals) */
    HostShutdown(Supplier<SessionHost> host, BooleanSupplier finished, boolean seeding, Consumer<SessionHost> afterClose) {
        this.hook = new Thread(() -> {
            SessionHost h = host.get();
            if (h != null) {
                h.close();
                afterClose.accept(h);
            }
            System.out.flush();
            Runtime.getRuntime().halt(seeding || finished.getAsBoolean() ? 0 : 130);
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command ends on its own: its exit code stands. False if the JVM is shutting down already (the hook closes). */
    boolean remove() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
