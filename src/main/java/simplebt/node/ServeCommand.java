package simplebt.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import simplebt.cli.Args;
import simplebt.cli.Terminal;
import simplebt.library.LibraryEntry;
import simplebt.library.TorrentLibrary;
import simplebt.log.Log;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.HostOptions;
import simplebt.swarm.SessionHost;

/**
 * {@code node serve}: every torrent the node remembers, in one process on one port, until
 * Ctrl-C or SIGTERM (what a service manager sends). Complete torrents seed, the others download;
 * paused ones are left alone. Each starts from its resume file, so complete data is not hashed
 * again. On the way out every torrent announces {@code stopped} (in parallel, within the
 * host's farewell budget) and the bytes sent and received go into the remembered totals.
 */
final class ServeCommand implements Command {
    /** A seed without peers this long goes dormant (one that starts complete from its resume file: at once). */
    static final Duration IDLE_SEED_SLEEP = Duration.ofSeconds(60);
    private final Path configDir;

    ServeCommand() {
        this(NodeConfig.defaultDir());
    }

    ServeCommand(Path configDir) {
        this.configDir = configDir;
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run every remembered torrent (seed or download) until stopped";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar serve [options]

                Runs every torrent in `node torrents` in this one process, on one port:
                seeds the complete ones, downloads the rest, skips paused ones. Each starts
                from its resume file (complete data is not hashed again). Runs until Ctrl-C
                or SIGTERM, then announces `stopped` for each torrent, saves the upload and
                download totals and exits 0. For a service: see the systemd unit in README.md.

                """ + SessionArgs.HELP;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, SessionArgs.valued(), SessionArgs.flags());
        if (!args.positional().isEmpty()) {
            throw new simplebt.cli.UsageException("serve takes no torrent: it runs the remembered ones (see: node torrents)");
        }
        // the options first: a bad one is a usage error even when there is nothing to serve
        NodeConfig settings = NodeConfig.load(configDir);
        HostOptions hostOptions = SessionArgs.hostOptions(args, settings);
        TorrentLibrary library = new TorrentLibrary(configDir);
        TorrentLibrary.Snapshot snapshot = library.load();
        snapshot.problems().forEach(Log::warn);
        List<Start> starts = startable(library, snapshot);
        if (starts.isEmpty()) {
            Log.info(snapshot.entries().isEmpty() ? "no torrents to serve yet: `seed` and `download` add theirs"
                    : "nothing to serve: every remembered torrent is paused or cannot be read (see: node torrents)");
            return 0;
        }
        SessionHost host = SessionHost.start(hostOptions);
        host.sleepIdleSeeds(IDLE_SEED_SLEEP); // many idle seeds: each a small record, not a session (issue 15)
        boolean anyPublic = starts.stream().anyMatch(st -> !st.meta().info().isPrivate()); // only private ones: no DHT socket
        NodeDht dht = NodeDht.start(anyPublic ? NodeDht.settings(args) : NodeDht.Settings.OFF, hostOptions.bind(), host.port(), configDir);
        ServeRun run = new ServeRun(host, new Remembered(configDir), dht, Terminal.isInteractive());
        Log.info("listening on port " + host.port() + " for " + starts.size() + " torrent"
                + (starts.size() == 1 ? "" : "s") + "; press Ctrl-C to stop");
        for (Start s : starts) {
            // in the background: complete data with a valid resume file starts at once, the rest is checked meanwhile
            host.addInBackground(s.meta(), SessionArgs.options(args, s.entry().dataDir(), settings));
        }
        starts.clear(); // this frame lives as long as serve: the parsed torrents must not (a dormant one keeps only its bytes)
        run.loop();
        return 0;
    }

    /** A torrent to run: its entry and its saved .torrent. */
    private record Start(LibraryEntry entry, Metainfo meta) {
    }

    private static List<Start> startable(TorrentLibrary library, TorrentLibrary.Snapshot snapshot) {
        List<Start> out = new ArrayList<>();
        for (LibraryEntry e : snapshot.entries()) {
            if (e.paused()) {
                Log.info("skipping '" + e.name() + "': paused");
                continue;
            }
            try {
                out.add(new Start(e, library.metainfo(e)));
            } catch (Exception failure) {
                Log.warn("skipping '" + e.name() + "' (" + e.infoHash().hex() + "): " + failure.getMessage());
            }
        }
        return out;
    }
}
