package simplebt.tracker;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * What the JDK's {@code HttpServer} lets one client hold: header counts and sizes, how long a
 * request may take to arrive, how long a silent or idle connection stays open, and how many
 * connections are open at once. The JDK reads these system properties once, when the first
 * server is created, so {@link #apply()} must run before that (tracker.jar's main does it).
 * A value already given on the command line ({@code -Dsun.net.httpserver.idleInterval=5})
 * wins, so an operator can tune them without a rebuild.
 *
 * <p>Against slowloris (many connections that send nothing, or a request a byte at a time):
 * a connection that sends nothing is closed after {@code idleInterval}; one that started a
 * request must finish it within {@code maxReqTime}, however it dribbles. Each open connection
 * costs a socket and, once bytes arrive, a virtual thread; {@code maxConnections} keeps the
 * total below the file-descriptor limit so the tracker can still open its own data files
 * (over the cap, new connections are accepted and closed at once).
 */
final class HttpLimits {
    /** File descriptors kept free for data files, the JDK and logs. */
    static final int RESERVED_FDS = 256;
    static final int MAX_CONNECTIONS = 10_000;

    private HttpLimits() {
    }

    /** The settings this tracker wants, in the JDK's property names (JDK 21 to 25). */
    static Map<String, String> defaults(long fdLimit) {
        Map<String, String> p = new LinkedHashMap<>();
        // Bound what a client can make us buffer before any handler runs.
        p.put("sun.net.httpserver.maxReqHeaders", "64");
        p.put("sun.net.httpserver.maxReqHeaderSize", "16384");
        // A request (headers and body, up to a 10 MiB upload) must arrive within 30 s, and the
        // reply be taken within 30 s; checked every timerMillis (default 1 s).
        p.put("sun.net.httpserver.maxReqTime", "30");
        p.put("sun.net.httpserver.maxRspTime", "30");
        // A connection that never sends a byte, or sits idle after a reply, is closed after
        // 15 s (clients re-announce every interval, minutes apart: keep-alive buys nothing).
        // The idle sweep runs every clockTick; the JDK's 10 s default would let it be 25 s.
        p.put("sun.net.httpserver.idleInterval", "15");
        p.put("sun.net.httpserver.clockTick", "1000");
        p.put("jdk.httpserver.maxConnections", Long.toString(maxConnections(fdLimit)));
        // Replies are written as headers then body; without TCP_NODELAY, Nagle's algorithm
        // meets the client's delayed ACK and small replies wait ~40 ms.
        p.put("sun.net.httpserver.nodelay", "true");
        return p;
    }

    static long maxConnections(long fdLimit) {
        if (fdLimit <= 0) {
            return MAX_CONNECTIONS;
        }
        return Math.max(64, Math.min(MAX_CONNECTIONS, fdLimit - RESERVED_FDS));
    }

    /** Sets every default that is not already set; returns what is in force. */
    static Map<String, String> apply() {
        Map<String, String> inForce = resolve(defaults(fdLimit()), System::getProperty);
        inForce.forEach(System::setProperty);
        return inForce;
    }

    /** The defaults, except where {@code given} already has a value. */
    static Map<String, String> resolve(Map<String, String> defaults, UnaryOperator<String> given) {
        Map<String, String> inForce = new LinkedHashMap<>();
        defaults.forEach((name, value) -> inForce.put(name, given.apply(name) == null ? value : given.apply(name)));
        return inForce;
    }

    /** This process's open-file limit (the JVM raises the soft limit to the hard one), or -1. */
    static long fdLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }
}
