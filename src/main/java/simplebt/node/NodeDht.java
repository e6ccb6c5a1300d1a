package simplebt.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.dht.DhtNode;
import simplebt.dht.DhtOptions;
import simplebt.dht.NodeId;
import simplebt.dht.TorrentDht;
import simplebt.log.Log;
import simplebt.magnet.PeerSource;
import simplebt.metainfo.InfoHash;
import simplebt.swarm.TorrentSession;

/**
 * A command's one DHT node (BEP 5), shared by all its torrents, from {@code --dht}, {@code
 * --no-dht}, {@code --dht-port} and {@code --dht-bootstrap}. Torrents that are not private are
 * put on it; private ones never. A UDP port in use turns the DHT off with one warning line.
 */
final class NodeDht implements AutoCloseable {
    /** Set (e.g. by the test runner) to replace the default routers: "none" or HOST:PORT,HOST:PORT. */
    static final String BOOTSTRAP_ENV = "SIMPLEBT_DHT_BOOTSTRAP";
    static final String HELP = """
              --dht, --no-dht      find peers on the Mainline DHT too (default on; never for
                                   private torrents); the table is kept in the config dir
              --dht-port N         its UDP port (default: the listen port)
              --dht-bootstrap HOST:PORT
                                   where to join the DHT (repeatable; default
                                   router.bittorrent.com, dht.transmissionbt.com, router.utorrent.com)
            """;

    /** How often a metadata fetch repeats its DHT lookup: a seeder may announce while we wait. */
    private static final Duration SEARCH_EVERY = Duration.ofSeconds(5);

    /** @param port -1 = the TCP listen port */
    record Settings(boolean on, int port, List<InetSocketAddress> bootstrap) {
        static final Settings OFF = new Settings(false, -1, List.of());
    }

    private final DhtNode node; // null when off
    /** Added by the command's thread; closed by it or by the Ctrl-C hook, hence copy-on-write. */
    private final List<AutoCloseable> attached = new java.util.concurrent.CopyOnWriteArrayList<>();

    private NodeDht(DhtNode node) {
        this.node = node;
    }

    static Settings settings(Args args) throws UsageException {
        if (args.flag("no-dht")) {
            return Settings.OFF;
        }
        int port = args.intValue("dht-port", -1, 0, 65535);
        List<InetSocketAddress> bootstrap = new ArrayList<>();
        for (String spec : args.values("dht-bootstrap")) {
            bootstrap.add(hostPort(spec));
        }
        if (bootstrap.isEmpty()) {
            bootstrap = defaults(System.getenv(BOOTSTRAP_ENV));
        }
        return new Settings(true, port, bootstrap);
    }

    static List<InetSocketAddress> defaults(String env) throws UsageException {
        if (env == null || env.isBlank()) {
            return DhtOptions.ROUTERS;
        }
        List<InetSocketAddress> out = new ArrayList<>();
        if (!env.equals("none")) {
            for (String spec : env.split(",")) {
                out.add(hostPort(spec.trim()));
            }
        }
        return out;
    }

    /** HOST:PORT, left unresolved: the DHT resolves it when it bootstraps, so a dead DNS does not stop the start. */
    private static InetSocketAddress hostPort(String spec) throws UsageException {
        int colon = spec.lastIndexOf(':');
        try {
            int port = Integer.parseInt(spec.substring(colon + 1));
            if (colon <= 0 || port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(spec.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new UsageException("--dht-bootstrap must be HOST:PORT, got '" + spec + "'");
        }
    }

    static NodeDht start(Settings settings, InetAddress bind, int tcpPort, Path configDir) {
        if (!settings.on()) {
            return new NodeDht(null);
        }
        int port = settings.port() >= 0 ? settings.port() : tcpPort;
        InetAddress address = bind != null ? bind : new InetSocketAddress(0).getAddress();
        try {
            DhtNode node = DhtNode.start(DhtOptions.of(address, port).withBootstrap(settings.bootstrap()).withConfigDir(configDir));
            Log.debug("dht: node " + node.id().hex() + " on UDP port " + node.port());
            return new NodeDht(node);
        } catch (IOException e) {
            Log.warn("DHT off: cannot use UDP port " + port + " (" + e.getMessage() + "); try --dht-port");
            return new NodeDht(null);
        }
    }

    /**
     * The DHT for torrents about to start: the one a magnet link's metadata fetch opened already
     * ({@code started}, null if none), else a new one. With no public torrent (BEP 27: private
     * ones never go on the DHT) there is none at all: {@code started} is closed and no UDP
     * socket is opened.
     */
    static NodeDht reuseOrStart(NodeDht started, boolean anyPublic, Settings settings, InetAddress bind, int tcpPort,
            Path configDir) {
        if (started != null && anyPublic) {
            return started;
        }
        if (started != null) {
            started.close();
        }
        return start(anyPublic ? settings : Settings.OFF, bind, tcpPort, configDir);
    }

    /**
     * The DHT as a source of peers for a magnet link's metadata fetch: get_peers every few
     * seconds, no announce (we have nothing to serve yet); null when the DHT is off.
     */
    PeerSource lookup(InfoHash infoHash) {
        if (node == null) {
            return null;
        }
        return found -> node.search(NodeId.of(infoHash), SEARCH_EVERY, found::accept);
    }

    void attach(TorrentSession session) {
        if (node != null) {
            attached.add(TorrentDht.attach(node, session));
        }
    }

    /** A host's torrent, across its sessions (serve: it may go dormant and wake). */
    void attach(simplebt.swarm.HostedTorrent torrent, int port) {
        if (node != null) {
            attached.add(TorrentDht.attach(node, torrent, port));
        }
    }

    @Override
    public void close() {
        for (AutoCloseable a : attached) {
            try {
                a.close();
            } catch (Exception e) {
                Log.debug("dht: " + e.getMessage());
            }
        }
        if (node != null) {
            node.close(); // saves the table
        }
    }
}
