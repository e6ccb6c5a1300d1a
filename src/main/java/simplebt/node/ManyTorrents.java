package simplebt.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import simplebt.cli.ProgressBar;
import simplebt.cli.StatusBlock;
import simplebt.cli.Terminal;
import simplebt.cli.Units;
import simplebt.log.Log;
import simplebt.log.TerminalText;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.HostOptions;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionHost;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.SessionStatus;

/**
 * {@code seed A B ...} and {@code download A B ...}: several torrents at once in one
 * {@link SessionHost}, behind one port, with one status line per torrent (redrawn in place on a
 * terminal, a snapshot every 10 s otherwise). Ctrl-C or SIGTERM closes them all
 * ({@link HostShutdown}). One torrent keeps using {@link SessionRunner}, whose output scripts know.
 */
final class ManyTorrents {
    private static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;

    private final HostOptions hostOptions;
    private final boolean seeding;
    private final List<HostedTorrent> torrents = new ArrayList<>();
    private volatile SessionHost host;
    private NodeDht.Settings dhtSettings = NodeDht.Settings.OFF;
    /** Set by the command's thread; closed by it or, on Ctrl-C, by the shutdown hook. */
    private volatile NodeDht dht;
    private SessionHost startedHost; // the command's thread only, like the one below
    private NodeDht startedDht;
    private HostShutdown hook;
    private final Remembered remembered = new Remembered(NodeConfig.defaultDir());

    /** @param seeding true for {@code seed} (and {@code download --seed-after}): being stopped is how it ends, exit 0 */
    ManyTorrents(HostOptions hostOptions, boolean seeding) {
        this.hostOptions = hostOptions;
        this.seeding = seeding;
    }

    /** Puts the torrents on one DHT node too when they start (not the private ones). */
    ManyTorrents withDht(NodeDht.Settings settings) {
        dhtSettings = settings;
        return this;
    }

    /** Runs the torrents on a host and DHT that are open already (magnet links', see {@link MagnetFetch}); null host: open one. */
    ManyTorrents withStarted(SessionHost openHost, NodeDht openDht) {
        startedHost = openHost;
        startedDht = openDht;
        return this;
    }

    /** Opens the port and checks and starts each torrent in turn, with a checking bar each. */
    List<HostedTorrent> start(List<Metainfo> metas, Function<Metainfo, SessionOptions> options)
            throws IOException, InterruptedException {
        hook = new HostShutdown(() -> host, this::allComplete, seeding, h -> {
            remembered.saveTotals(h);
            closeDht(); // on Ctrl-C too: saves the routing table this run learnt
        });
        host = startedHost != null ? startedHost : SessionHost.start(hostOptions);
        Log.info("listening on port " + host.port() + " for " + metas.size() + " torrents");
        boolean anyPublic = metas.stream().anyMatch(m -> !m.info().isPrivate()); // only private ones: no DHT socket
        dht = NodeDht.reuseOrStart(startedDht, anyPublic, dhtSettings, hostOptions.bind(), host.port(), NodeConfig.defaultDir());
        for (Metainfo meta : metas) {
            ProgressBar check = new ProgressBar("checking", meta.info().totalLength());
            SessionOptions o = options.apply(meta);
            HostedTorrent t = host.add(meta, o.withCheckProgress(check::update));
            torrents.add(t);
            t.session().ifPresent(dht::attach);
            remembered.add(meta, o.dataDir()); // so `serve` runs it too
            SessionStatus s = t.status();
            check.finish(meta.info().totalLength(), s.piecesDone() + "/" + s.pieceCount() + " pieces of '"
                    + TerminalText.safe(meta.info().name()) + "' on disk");
        }
        return List.copyOf(torrents);
    }

    private boolean allComplete() {
        return torrents.stream().allMatch(t -> t.status().complete());
    }

    /**
     * Shows the status block until every torrent is complete ({@code untilComplete}) or, for a
     * seeder, until every torrent has failed. A torrent that fails says so once; for a download
     * that ends the command with its error.
     */
    void show(boolean untilComplete) throws IOException, InterruptedException {
        StatusBlock block = new StatusBlock(System.out, Terminal.isInteractive(), PLAIN_INTERVAL_NANOS);
        Set<HostedTorrent> failed = new HashSet<>();
        try {
            while (!(untilComplete && allComplete())) {
                for (HostedTorrent t : torrents) {
                    if (t.status().failure().isPresent() && failed.add(t)) {
                        String why = t.metainfo().info().name() + ": " + t.status().failure().get();
                        if (untilComplete || failed.size() == torrents.size()) {
                            throw new IOException(why);
                        }
                        Log.warn(TerminalText.safe(why) + "; the others go on");
                    }
                }
                if (!Log.isQuiet()) {
                    block.show(() -> torrents.stream().map(ManyTorrents::line).toList());
                }
                Thread.sleep(250);
            }
        } finally {
            if (!Log.isQuiet()) {
                block.showNow(torrents.stream().map(ManyTorrents::line).toList());
            }
            block.end();
        }
    }

    /** One torrent's status: name, state, progress, peers, rates, bytes moved. */
    static String line(HostedTorrent t) {
        SessionStatus s = t.status();
        String name = TerminalText.safe(t.name());
        if (name.length() > 28) {
            name = name.substring(0, 27) + "~";
        }
        double percent = s.totalBytes() == 0 ? 100 : 100.0 * s.verifiedBytes() / s.totalBytes();
        return String.format(Locale.ROOT, "%-28s %-11s %5.1f%%  peers %-3d down %-11s up %-11s sent %s", name,
                t.state().name().toLowerCase(Locale.ROOT), percent, s.peers(), Units.rate(s.downloadRate()),
                Units.rate(s.uploadRate()), Units.bytes(s.uploaded()));
    }

    List<HostedTorrent> torrents() {
        return List.copyOf(torrents);
    }

    /** Closes every torrent (in parallel) and the port; the caller's exit code stands. */
    void close() {
        if (hook != null && !hook.remove()) {
            return; // already shutting down: the hook closes the host
        }
        closeDht();
        if (host != null) {
            host.close();
            remembered.saveTotals(host);
        }
    }

    private void closeDht() {
        NodeDht d = dht;
        if (d != null) {
            d.close(); // saves the table
        }
    }
}
