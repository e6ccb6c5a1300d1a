package simplebt.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import simplebt.cli.Args;
import simplebt.log.Log;
import simplebt.cli.Terminal;
import simplebt.cli.Units;
import simplebt.cli.UsageException;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.HostOptions;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.SessionStatus;
import simplebt.swarm.TorrentSession;

/** {@code node seed FILE.torrent}: check the data, announce, serve until Ctrl-C. */
final class SeedCommand implements Command {
    @Override
    public String name() {
        return "seed";
    }

    @Override
    public String summary() {
        return "check a torrent's data and serve it to peers until stopped";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar seed FILE.torrent [FILE.torrent ...] [--data DIR] [options]

                Checks the data in DIR (the folder holding the torrent's file or folder,
                default: the current folder), announces to the tracker and serves peers
                until Ctrl-C or SIGTERM, then tells the tracker it stopped. Several torrents
                run at once behind one port, one status line each.

                  --data DIR           folder that contains the torrent's data (default .)
                """ + SessionArgs.HELP;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, SessionArgs.valued("data"), SessionArgs.flags());
        if (args.positional().isEmpty()) {
            throw new UsageException("seed needs a FILE.torrent (or several)");
        }
        Path data = Path.of(args.value("data").orElse("."));
        NodeConfig settings = SessionArgs.savedSettings();
        SessionOptions options = SessionArgs.options(args, data, settings);
        HostOptions host = SessionArgs.hostOptions(args, settings);
        if (args.positional().size() > 1) {
            return seedMany(args.positional(), options, host, NodeDht.settings(args));
        }
        Metainfo meta = SessionArgs.readTorrent(args.positional().get(0));
        SessionRunner runner = new SessionRunner(meta, options, host, true).withDht(NodeDht.settings(args));
        try {
            TorrentSession session = runner.start();
            SessionStatus s = session.status();
            if (!s.complete()) {
                Log.warn("only " + s.piecesDone() + " of " + s.pieceCount() + " pieces of '" + meta.info().name()
                        + "' are in " + data.toAbsolutePath() + "; serving those and fetching the rest");
            }
            Log.info("seeding '" + meta.info().name() + "'; press Ctrl-C to stop");
            statusLoop(session);
            return 0;
        } finally {
            runner.close();
        }
    }

    /** Several torrents behind one port until Ctrl-C (or until every one has failed). */
    private static int seedMany(List<String> files, SessionOptions options, HostOptions host, NodeDht.Settings dht) throws Exception {
        List<Metainfo> metas = new ArrayList<>();
        for (String f : files) {
            metas.add(SessionArgs.readTorrent(f));
        }
        ManyTorrents many = new ManyTorrents(host, true).withDht(dht);
        try {
            for (HostedTorrent t : many.start(metas, m -> options)) {
                SessionStatus s = t.status();
                if (!s.complete()) {
                    Log.warn("only " + s.piecesDone() + " of " + s.pieceCount() + " pieces of '" + t.metainfo().info().name()
                            + "' are in " + options.dataDir().toAbsolutePath() + "; serving those and fetching the rest");
                }
            }
            Log.info("seeding " + metas.size() + " torrents; press Ctrl-C to stop");
            many.show(false);
            return 0;
        } finally {
            many.close();
        }
    }

    /** Runs until the session fails (the shutdown hook handles Ctrl-C). */
    private static void statusLoop(TorrentSession session) throws Exception {
        boolean tty = Terminal.isInteractive();
        long lastPlain = 0;
        while (true) {
            session.awaitCompletion(Duration.ofSeconds(1)); // throws if the session failed
            Thread.sleep(1000);
            SessionStatus s = session.status();
            String line = String.format("seeding  %d/%d pieces  peers %d  up %s  sent %s", s.piecesDone(), s.pieceCount(),
                    s.peers(), Units.rate(s.uploadRate()), Units.bytes(s.uploaded()));
            if (Log.isQuiet()) {
                continue;
            }
            if (tty) {
                System.out.print("\r\033[K" + line);
                System.out.flush();
            } else if (System.nanoTime() - lastPlain > 10_000_000_000L) {
                System.out.println(line);
                lastPlain = System.nanoTime();
            }
        }
    }
}
