package simplebt.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import simplebt.cli.Args;
import simplebt.log.Log;
import simplebt.cli.Units;
import simplebt.cli.UsageException;
import simplebt.metainfo.Metainfo;
import simplebt.storage.AtomicFiles;
import simplebt.storage.FileSelection;
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
                usage: java -jar node.jar download FILE.torrent|INFOHASH [--out DIR] [--only GLOB]... [--seed-after] [options]

                Downloads into DIR (default downloads/), resuming what is already there, and
                exits 0 once every piece has passed its SHA-1 check. Given an info hash (40 hex
                digits) instead of a file, fetches the .torrent from the tracker you are logged
                in to (stamped with your passkey) and saves it under torrents/ first.

                  --out DIR            where the torrent's file or folder goes (default downloads)
                  --only GLOB          fetch only the files whose path inside the torrent
                                       matches (repeatable; '*' within a folder name, '**'
                                       across folders, a folder means all under it); the
                                       others are not created
                  --seed-after         keep seeding after the download until Ctrl-C
                """ + SessionArgs.HELP;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, SessionArgs.valued("out", "only"), SessionArgs.flags("seed-after"));
        if (args.positional().size() != 1) {
            throw new UsageException("download needs exactly one FILE.torrent");
        }
        Path out = Path.of(args.value("out").orElse("downloads"));
        FileSelection selection = SessionArgs.selection(args.values("only"));
        SessionOptions options = SessionArgs.options(args, out).withSelection(selection);
        Metainfo meta = torrent(args.positional().get(0));
        SessionArgs.checkSelection(selection, meta); // a glob matching nothing stops us before anything is written
        SessionRunner runner = new SessionRunner(meta, options, false);
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
