package simplebt.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import simplebt.cli.Args;
import simplebt.log.Log;
import simplebt.cli.Units;
import simplebt.cli.UsageException;
import simplebt.metainfo.Metainfo;
import simplebt.storage.AtomicFiles;
import simplebt.swarm.HostOptions;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.SessionStatus;
import simplebt.swarm.TorrentSession;
import simplebt.trackerclient.ApiClient;

/** {@code node download FILE.torrent}: fetch every piece, verify it, exit 0 (or keep seeding). */
final class DownloadCommand implements Command {
    @Override
    public String name() {
        return "download";
    }

    @Override
    public String summary() {
        return "download a torrent's data, then exit (or keep seeding)";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar download FILE.torrent|INFOHASH [...] [--out DIR] [--seed-after] [options]

                Downloads into DIR (default downloads/), resuming what is already there, and
                exits 0 once every piece has passed its SHA-1 check. Given an info hash (40 hex
                digits) instead of a file, fetches the .torrent from the tracker you are logged
                in to (stamped with your passkey) and saves it under torrents/ first. Several
                torrents download at once behind one port, one status line each; it exits 0
                when all are done.

                  --out DIR            where the torrent's file or folder goes (default downloads)
                  --seed-after         keep seeding after the download until Ctrl-C
                """ + SessionArgs.HELP;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, SessionArgs.valued("out"), SessionArgs.flags("seed-after"));
        if (args.positional().isEmpty()) {
            throw new UsageException("download needs a FILE.torrent or INFOHASH (or several)");
        }
        Path out = Path.of(args.value("out").orElse("downloads"));
        SessionOptions options = SessionArgs.options(args, out);
        HostOptions host = SessionArgs.hostOptions(args, SessionArgs.savedSettings());
        if (args.positional().size() > 1) {
            return downloadMany(args, options, host);
        }
        Metainfo meta = torrent(args.positional().get(0));
        SessionRunner runner = new SessionRunner(meta, options, host, false);
        try {
            TorrentSession session = runner.start();
            long start = System.nanoTime();
            runner.showUntil("download", () -> session.status().complete(), false);
            SessionStatus s = session.status();
            double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            Log.info("done: " + meta.info().name() + " (" + Units.bytes(s.totalBytes()) + ") in "
                    + out.toAbsolutePath().normalize() + "; received " + Units.bytes(s.downloaded()) + " at "
                    + Units.rate(s.downloaded() / seconds));
            if (args.flag("seed-after")) {
                Log.info("seeding; press Ctrl-C to stop");
                runner.showUntil("seeding", () -> false, true);
            }
            return 0;
        } finally {
            runner.close();
        }
    }

    /** Several torrents behind one port; exits 0 when all are done (or seeds on, with --seed-after). */
    private static int downloadMany(Args args, SessionOptions options, HostOptions host) throws Exception {
        List<Metainfo> metas = new ArrayList<>();
        for (String arg : args.positional()) {
            metas.add(torrent(arg));
        }
        boolean seedAfter = args.flag("seed-after");
        ManyTorrents many = new ManyTorrents(host, false);
        try {
            many.start(metas, m -> options);
            long start = System.nanoTime();
            many.show(true);
            double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            for (HostedTorrent t : many.torrents()) {
                SessionStatus s = t.status();
                Log.info("done: " + t.metainfo().info().name() + " (" + Units.bytes(s.totalBytes()) + ") in "
                        + options.dataDir().toAbsolutePath().normalize() + "; received " + Units.bytes(s.downloaded()) + " at "
                        + Units.rate(s.downloaded() / seconds));
            }
            if (seedAfter) {
                Log.info("seeding; press Ctrl-C to stop");
                many.show(false);
            }
            return 0;
        } finally {
            many.close();
        }
    }

    /** A .torrent file, or an info hash to fetch from the logged-in tracker. */
    private static Metainfo torrent(String arg) throws Exception {
        if (!arg.matches("[0-9a-fA-F]{40}") || Files.exists(Path.of(arg))) {
            return SessionArgs.readTorrent(arg);
        }
        NodeConfig config = NodeConfig.load(NodeConfig.defaultDir());
        if (!config.loggedIn()) {
            throw new UsageException("to download by info hash, log in first: node login USERNAME --tracker URL");
        }
        Metainfo meta;
        try (ApiClient api = new ApiClient(config.trackerUrl(), config.token())) {
            meta = Metainfo.parse(api.downloadTorrent(arg.toLowerCase(java.util.Locale.ROOT)));
        }
        Path saved = Path.of("torrents", meta.info().name() + ".torrent");
        AtomicFiles.write(saved, meta.raw());
        Log.info("fetched " + saved + " from " + config.trackerUrl());
        return meta;
    }
}
