package simplebt.node;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import simplebt.cli.Args;
import simplebt.log.Log;
import simplebt.cli.Units;
import simplebt.cli.UsageException;
import simplebt.log.TerminalText;
import simplebt.magnet.MagnetException;
import simplebt.magnet.MagnetLink;
import simplebt.magnet.MagnetResolver;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.storage.AtomicFiles;
import simplebt.storage.FileSelection;
import simplebt.swarm.HostOptions;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.SessionStatus;
import simplebt.swarm.TorrentSession;
import simplebt.trackerclient.ApiClient;

/** {@code node download FILE.torrent}: fetch every piece, verify it, exit 0 (or keep seeding). */
final class DownloadCommand implements Command {
    /** How long a magnet link may take to yield its metadata before the command gives up. */
    private static final Duration METADATA_TIMEOUT = Duration.ofMinutes(Integer.getInteger("simplebt.metadataTimeoutMinutes", 5));
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
                usage: java -jar node.jar download FILE.torrent|INFOHASH|MAGNET [...] [--out DIR] [--only GLOB]... [--seed-after] [options]

                Downloads into DIR (default downloads/), resuming what is already there, and
                exits 0 once every piece has passed its SHA-1 check. Given an info hash (40 hex
                digits) instead of a file, fetches the .torrent from the tracker you are logged
                in to (stamped with your passkey) and saves it under torrents/ first. Given a
                magnet link ('magnet:?xt=urn:btih:...', quoted), gets the torrent's metadata
                from the peers its trackers (tr) and peers (x.pe), and --peer, name, checks it
                against the info hash and saves it under torrents/ first. Several
                torrents download at once behind one port, one status line each; it exits 0
                when all are done.

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
        if (args.positional().isEmpty()) {
            throw new UsageException("download needs a FILE.torrent, INFOHASH or magnet link (or several)");
        }
        Path out = Path.of(args.value("out").orElse("downloads"));
        FileSelection selection = SessionArgs.selection(args.values("only"));
        NodeConfig settings = SessionArgs.savedSettings();
        SessionOptions options = SessionArgs.options(args, out, settings).withSelection(selection);
        HostOptions host = SessionArgs.hostOptions(args, settings);
        if (args.positional().size() > 1) {
            if (!selection.isAll()) {
                throw new UsageException("--only picks files of one torrent: give it with a single FILE.torrent");
            }
            return downloadMany(args, options, host);
        }
        NodeDht.Settings dht = NodeDht.settings(args);
        try (MagnetFetch fetch = new MagnetFetch(host, dht, options.configDir().orElse(null))) {
            Metainfo meta = torrent(args.positional().get(0), options, fetch);
            options = withLinkPeers(options, args.positional().get(0), fetch);
            SessionArgs.checkSelection(selection, meta); // a glob matching nothing stops us before anything is written
            return download(args, meta, options, new SessionRunner(meta, options, host, false).withDht(dht)
                    .withStarted(fetch.handOverHost(), fetch.dht()));
        }
    }

    private static int download(Args args, Metainfo meta, SessionOptions options, SessionRunner runner) throws Exception {
        Path out = options.dataDir();
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
        Map<InfoHash, SessionOptions> perTorrent = new HashMap<>();
        NodeDht.Settings dht = NodeDht.settings(args);
        ManyTorrents many = new ManyTorrents(host, false).withDht(dht);
        try (MagnetFetch fetch = new MagnetFetch(host, dht, NodeConfig.defaultDir())) {
            for (String arg : args.positional()) {
                Metainfo meta = torrent(arg, options, fetch);
                metas.add(meta);
                perTorrent.put(meta.infoHash(), withLinkPeers(options, arg, fetch));
            }
            many.withStarted(fetch.handOverHost(), fetch.dht());
        }
        boolean seedAfter = args.flag("seed-after");
        try {
            many.start(metas, m -> perTorrent.getOrDefault(m.infoHash(), options));
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

    /**
     * A magnet link's x.pe peers and the peer that served its metadata join --peer for the
     * session (they served, or may serve, the data too): dialed as the session starts.
     */
    private static SessionOptions withLinkPeers(SessionOptions options, String arg, MagnetFetch fetch) throws UsageException {
        if (!MagnetLink.looksLikeOne(arg)) {
            return options;
        }
        MagnetLink link = magnet(arg);
        List<InetSocketAddress> peers = new ArrayList<>(options.peers());
        link.literalPeers().stream().filter(p -> !peers.contains(p)).forEach(peers::add);
        fetch.servedBy(link.infoHash()).filter(p -> !p.isUnresolved() && !peers.contains(p)).ifPresent(peers::add);
        return options.withPeers(peers);
    }

    private static MagnetLink magnet(String arg) throws UsageException {
        try {
            return MagnetLink.parse(arg);
        } catch (MagnetException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A .torrent file, an info hash to fetch from the logged-in tracker, or a magnet link. */
    private static Metainfo torrent(String arg, SessionOptions options, MagnetFetch fetch) throws Exception {
        if (MagnetLink.looksLikeOne(arg)) {
            MagnetLink link = magnet(arg);
            Log.info("getting the metadata of " + link.name().map(TerminalText::safe).orElse(link.infoHash().hex())
                    + " from the swarm");
            Metainfo meta = fetch.resolve(link, options.peers(), METADATA_TIMEOUT);
            Path saved = Path.of("torrents", MagnetResolver.fileName(meta));
            AtomicFiles.write(saved, meta.raw());
            Log.info("saved " + saved + " (" + TerminalText.safe(meta.info().name()) + ")");
            return meta;
        }
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
