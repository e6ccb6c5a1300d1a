package simplebt.tracker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.sun.net.httpserver.HttpServer;

import simplebt.log.Log;
import simplebt.tracker.web.Site;

/**
 * The running tracker: wires the services to a {@code com.sun.net.httpserver} server with one
 * virtual thread per exchange, and sweeps expired peers. Owns the server, the executor and
 * the sweeper thread; {@link #close()} lets requests in flight finish, then stops all three.
 */
public final class TrackerServer implements AutoCloseable {
    private final TrackerConfig config;
    private final HttpServer http;
    private final ExecutorService executor;
    private final ScheduledExecutorService sweeper;
    private final AnnounceService announces;
    private final Sessions sessions;
    private final TorrentRegistry registry;
    /** Null when UDP is off. */
    private final UdpTrackerServer udp;

    private TrackerServer(TrackerConfig config, UdpListen udpListen, LongSupplier clockMillis) throws IOException {
        this.config = config;
        SecureRandom random = new SecureRandom();
        Store store = new Store(config.dataDir());
        Accounts accounts = new Accounts(store, new PasswordHasher(config.passwordIterations(), random),
                new LoginThrottle(clockMillis), clockMillis, random);
        this.sessions = new Sessions(store, clockMillis, random, Sessions.DEFAULT_TTL_SECONDS);
        // Until the constructor returns nobody else can close what it opened: a failure below
        // (a UDP port in use, an unreadable data dir) must not leave the session log or the port open.
        HttpServer bound = null;
        try {
            this.registry = new TorrentRegistry(store, clockMillis, random);
            Swarms swarms = new Swarms(config.peerLimits());
            this.announces = new AnnounceService(config, swarms, registry, accounts, clockMillis);
            Auth auth = new Auth(sessions, accounts);
            ApiRouter api = new ApiRouter();
            SignupLimiter signupLimiter = new SignupLimiter(config.signupRate(), clockMillis);
            new AccountApi(accounts, sessions, registry, auth, config.signupOpen(), signupLimiter).register(api);
            new TorrentApi(registry, announces, swarms, accounts, auth, config.open()).register(api);

            InetSocketAddress bind = config.host() == null
                    ? new InetSocketAddress(config.port()) : new InetSocketAddress(config.host(), config.port());
            this.http = HttpServer.create(bind, 1024);
            bound = http;
            AnnounceHandler announce = new AnnounceHandler(announces, config.acceptIp());
            http.createContext("/announce", announce);
            http.createContext("/scrape", announce);
            http.createContext("/api/", api);
            // The web site: the same accounts, limits and registry as the API, its own sessions.
            http.createContext("/", new Site(new SiteBackend(config, accounts, sessions, registry, announces, signupLimiter),
                    clockMillis));
            this.udp = udpListen.enabled() ? startUdp(bind, udpListen, random, clockMillis) : null;
        } catch (IOException | RuntimeException e) {
            if (bound != null) {
                bound.stop(0);
            }
            try {
                sessions.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracker-sweeper");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Threads reading the UDP socket. One: threads sharing a socket take turns on its read
     * lock, and on two cores one reader answered the most announces for the least CPU
     * (bench/tracker/NOTES.md: 1 thread 9.6 us per announce, 2 threads 11.7, 4 threads 12.0).
     */
    static final int UDP_WORKERS = 1;

    /** BEP 15 on the HTTP port's number (or its own); a clash with an explicit port is an error. */
    private UdpTrackerServer startUdp(InetSocketAddress httpBind, UdpListen listen, SecureRandom random,
                                      LongSupplier clockMillis) throws IOException {
        int port = listen.port() == UdpListen.SAME_AS_HTTP ? http.getAddress().getPort() : listen.port();
        UdpAnnounceHandler handler = new UdpAnnounceHandler(announces, new ConnectionIds(random, clockMillis), config);
        try {
            return new UdpTrackerServer(new InetSocketAddress(httpBind.getAddress(), port), handler, UDP_WORKERS);
        } catch (IOException e) { // the constructor stops the HTTP server and closes the session log
            throw new IOException("UDP port " + port + ": " + e.getMessage() + " (choose one with --udp-port N, or --no-udp)", e);
        }
    }

    /** Starts a tracker with the system clock and no UDP. */
    public static TrackerServer start(TrackerConfig config) throws IOException {
        return start(config, UdpListen.OFF);
    }

    /** Starts a tracker with the system clock, answering UDP announces as {@code udp} says. */
    public static TrackerServer start(TrackerConfig config, UdpListen udp) throws IOException {
        return start(config, udp, System::currentTimeMillis);
    }

    static TrackerServer start(TrackerConfig config, LongSupplier clockMillis) throws IOException {
        return start(config, UdpListen.OFF, clockMillis);
    }

    static TrackerServer start(TrackerConfig config, UdpListen udp, LongSupplier clockMillis) throws IOException {
        TrackerServer server = new TrackerServer(config, udp, clockMillis);
        server.http.start();
        long period = config.sweepPeriodMillis();
        server.sweeper.scheduleWithFixedDelay(server::sweep, period, period, TimeUnit.MILLISECONDS);
        server.sweeper.scheduleWithFixedDelay(server::flush, TorrentRegistry.FLUSH_PERIOD_MILLIS,
                TorrentRegistry.FLUSH_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return server;
    }

    private void sweep() {
        try {
            int removed = announces.expireAll();
            if (removed > 0) {
                Log.debug("expired " + removed + " peers");
            }
        } catch (RuntimeException e) {
            Log.warn("peer expiry failed: " + e);
        }
    }

    private void flush() {
        try {
            registry.flush();
        } catch (IOException | RuntimeException e) {
            Log.warn("writing completed counts failed (tried again in "
                    + TorrentRegistry.FLUSH_PERIOD_MILLIS / 1000 + " s): " + e.getMessage());
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Base URL for clients on this machine, e.g. {@code http://127.0.0.1:8000}. */
    public String baseUrl() {
        String host = config.host() == null || config.host().equals("0.0.0.0") || config.host().equals("::")
                ? "127.0.0.1" : config.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** The UDP port (BEP 15), or -1 when UDP is off. */
    public int udpPort() {
        return udp == null ? -1 : udp.port();
    }

    public TrackerConfig config() {
        return config;
    }

    /**
     * Stops accepting, waits up to two seconds for exchanges in flight, stops threads, then
     * writes the completed counts still in memory: nothing acknowledged is lost on a clean stop.
     */
    @Override
    public void close() {
        http.stop(2);
        if (udp != null) {
            udp.close();
        }
        sweeper.shutdownNow();
        executor.close();
        flush();
        try {
            sessions.close();
        } catch (java.io.IOException e) {
            Log.warn("closing the session log: " + e.getMessage());
        }
    }
}
