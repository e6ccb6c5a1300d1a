package simplebt.tracker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import simplebt.cli.Args;
import simplebt.log.Log;
import simplebt.cli.UsageException;

/** Entry point of tracker.jar: parse options, start the server, stop cleanly on SIGTERM/Ctrl-C. */
public final class TrackerMain {
    static final String USAGE = """
            usage: java -jar tracker.jar [--host ADDR] [--port 8000] [--data DIR] [--open] [--interval SECONDS]
                   [--accept-ip] [--no-signup] [--signup-rate N/S] [--peer-limit N/M] [--udp-port N | --no-udp]
                   [--debug]

              --host ADDR         address to listen on (default: all interfaces)
              --port N            port (default 8000; 0 picks a free one)
              --data DIR          where accounts and torrents are kept (default tracker-data/)
              --open              public mode: any info hash, no passkey needed
              --interval SECONDS  re-announce interval told to clients (default 1800);
                                  peers silent for about two intervals expire
              --accept-ip         trust the announce 'ip' parameter (IPv4 literals only)
              --no-signup         refuse new accounts (403)
              --signup-rate N/S   new accounts allowed per client address: N at once, then
                                  N per S seconds (default 10/600); more get 429
              --peer-limit N/M    peer entries one passkey (or address, without a passkey)
                                  may hold: N in one torrent, M in all (default 8/5000)
              --udp-port N        UDP tracker port (BEP 15; default: the same number as --port)
              --no-udp            HTTP only, no UDP tracker
              --debug             detailed log on stderr
            """;

    private TrackerMain() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        if (Arrays.asList(argv).contains("--help") || Arrays.asList(argv).contains("-h")) {
            System.out.print(USAGE);
            return 0;
        }
        TrackerConfig config;
        UdpListen udp;
        try {
            config = parse(argv);
            udp = parseUdp(argv);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage() + " (see: java -jar tracker.jar --help)");
            return 2;
        }
        Map<String, String> limits = HttpLimits.apply();
        Log.debug("HTTP limits: " + limits);
        TrackerServer server;
        try {
            server = TrackerServer.start(config, udp);
        } catch (IOException e) {
            System.err.println("error: cannot start the tracker: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("tracker stopped");
            stopped.countDown();
        }, "tracker-shutdown"));
        String host = config.host() == null ? "0.0.0.0" : config.host();
        // One line: scripts and tests read the HTTP port from its start.
        System.out.println("tracker listening on http://" + host + ":" + server.port() + "/announce"
                + (server.udpPort() > 0 ? " and udp://" + host + ":" + server.udpPort() + "/announce" : "")
                + " (" + (config.open() ? "open" : "private") + " mode, data in "
                + config.dataDir() + ", interval " + config.intervalSeconds() + "s)");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static Args args(String[] argv) throws UsageException {
        return Args.parse(Arrays.asList(argv), Set.of("host", "port", "data", "interval", "signup-rate", "peer-limit", "udp-port"),
                Set.of("open", "accept-ip", "no-signup", "debug", "no-udp"));
    }

    static UdpListen parseUdp(String[] argv) throws UsageException {
        Args args = args(argv);
        if (args.flag("no-udp")) {
            if (args.value("udp-port").isPresent()) {
                throw new UsageException("--udp-port and --no-udp contradict each other");
            }
            return UdpListen.OFF;
        }
        return args.value("udp-port").isPresent()
                ? UdpListen.on(args.intValue("udp-port", 0, 0, 65535)) : UdpListen.SAME_PORT;
    }

    static TrackerConfig parse(String[] argv) throws UsageException {
        Args args = args(argv);
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
        }
        Log.setDebug(args.flag("debug"));
        return TrackerConfig.defaults(Path.of(args.value("data").orElse("tracker-data")))
                .withHost(args.value("host").orElse(null))
                .withPort(args.intValue("port", TrackerConfig.DEFAULT_PORT, 0, 65535))
                .withOpen(args.flag("open"))
                .withInterval(args.intValue("interval", TrackerConfig.DEFAULT_INTERVAL, 1, 86400))
                .withAcceptIp(args.flag("accept-ip"))
                .withSignupOpen(!args.flag("no-signup"))
                .withSignupRate(args.value("signup-rate").isPresent()
                        ? SignupRate.parse(args.value("signup-rate").get()) : SignupRate.DEFAULT)
                .withPeerLimits(args.value("peer-limit").isPresent()
                        ? PeerLimits.parse(args.value("peer-limit").get()) : PeerLimits.DEFAULT);
    }
}
