package simplebt.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.log.Log;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;
import simplebt.secure.EncryptionMode;
import simplebt.storage.FileSelection;
import simplebt.swarm.HostOptions;
import simplebt.swarm.SessionOptions;

/** The options `seed` and `download` share, turned into {@link SessionOptions}. */
final class SessionArgs {
    static final Set<String> VALUED = Set.of("port", "peer", "tracker", "bind", "encryption", "max-peers",
            "max-connections", "upload-slots", "max-upload-rate", "max-download-rate", "dht-port", "dht-bootstrap", "direct-writes");
    static final Set<String> FLAGS = Set.of("debug", "quiet", "no-tracker", "dht", "no-dht");
    static final String HELP = """
              --port N             listen port (default 6881, the next free one if taken; 0 = any)
              --bind ADDRESS       listen on this address only (default: all)
              --peer HOST:PORT     connect to this peer directly (repeatable)
              --tracker URL        announce here instead of the torrent's trackers
              --no-tracker         do not announce at all (use --peer)
              --encryption MODE    required | preferred | off (default preferred):
                                   secure channel between our nodes, see docs/secure-channel.md
              --max-peers N        connection limit per torrent (default 60)
              --max-connections N  connection limit of all torrents together (default 500)
              --upload-slots N     peers uploaded to at once, all torrents together (default 20)
              --max-upload-rate RATE, --max-download-rate RATE
                                   bytes per second for all torrents together, e.g. 500k,
                                   4M (k = 1024); 0 = no limit (default: the settings', else 0)
              --direct-writes on|off
                                   write verified pieces around the page cache (O_DIRECT;
                                   less CPU). A direct write waits for the disk: on a slow
                                   disk say off (default: the settings', else on)
              --debug, --quiet     detailed log on stderr / no progress output
            """ + NodeDht.HELP;

    private SessionArgs() {
    }

    static SessionOptions options(Args args, Path dataDir) throws UsageException {
        SessionOptions o = SessionOptions.of(dataDir)
                .withPort(args.intValue("port", SessionOptions.DEFAULT_PORT, 0, 65535))
                .withMaxPeers(args.intValue("max-peers", 60, 1, 1000))
                .withPeers(peers(args.values("peer")))
                .withTrackers(args.values("tracker"))
                .withUseTrackers(!args.flag("no-tracker"))
                .withConfigDir(NodeConfig.defaultDir()); // swarm secrets kept for restarts and tracker outages
        if (args.value("bind").isPresent()) {
            try {
                o = o.withBind(InetAddress.getByName(args.value("bind").get()));
            } catch (UnknownHostException e) {
                throw new UsageException("--bind: unknown address '" + args.value("bind").get() + "'");
            }
        }
        if (args.value("direct-writes").isPresent()) {
            o = o.withDirectWrites(onOff("--direct-writes", args.value("direct-writes").get()));
        }
        try {
            return o.withEncryption(EncryptionMode.parse(args.value("encryption").orElse("preferred")));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * As {@link #options(Args, Path)}, with what the command line leaves out taken from the saved
     * settings (today: direct writes), so a menu setting applies to commands too.
     */
    static SessionOptions options(Args args, Path dataDir, NodeConfig settings) throws UsageException {
        SessionOptions o = options(args, dataDir);
        if (args.value("direct-writes").isPresent()) {
            return o;
        }
        try {
            return o.withDirectWrites(onOff("direct writes", settings.directWrites()));
        } catch (UsageException e) { // a hand-edited config file: say so, keep the default
            Log.warn("settings: " + e.getMessage() + "; using on");
            return o;
        }
    }

    /** "on" or "off" (what --direct-writes and the setting take). */
    static boolean onOff(String what, String value) throws UsageException {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new UsageException(what + " must be on or off, got '" + value + "'");
        };
    }

    /** The {@code --only} globs (none: every file); a malformed one is a usage error. */
    static FileSelection selection(List<String> globs) throws UsageException {
        try {
            return FileSelection.globs(globs);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Every glob must match a file of this torrent; says how many files that makes. */
    static void checkSelection(FileSelection selection, Metainfo meta) throws UsageException {
        if (selection.isAll()) {
            return;
        }
        try {
            int chosen = selection.chosen(meta.info()).cardinality();
            long files = meta.info().files().stream().filter(f -> !f.padding()).count();
            Log.info("--only: " + chosen + " of " + files + " files; the others are not created");
        } catch (FileSelection.NoMatch e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * What all torrents of the process share: the one port, the bind address, the caps and rates.
     * Rates not given come from the saved settings ({@code settings}), so a menu setting applies
     * to commands too.
     */
    static HostOptions hostOptions(Args args, NodeConfig settings) throws UsageException {
        SessionOptions session = options(args, Path.of("."));
        return HostOptions.of().withBind(session.bind()).withPort(session.port())
                .withMaxConnections(args.intValue("max-connections", HostOptions.DEFAULT_MAX_CONNECTIONS, 1, 100_000))
                .withUploadSlots(args.intValue("upload-slots", HostOptions.DEFAULT_UPLOAD_SLOTS, 1, 10_000))
                .withMaxUploadRate(rate(args, "max-upload-rate", settings.maxUploadRate()))
                .withMaxDownloadRate(rate(args, "max-download-rate", settings.maxDownloadRate()));
    }

    /**
     * The saved settings, for their rate limits; defaults (with a warning) when the config file
     * cannot be read: seeding and downloading never needed it before, and must not fail on it.
     */
    static NodeConfig savedSettings() {
        try {
            return NodeConfig.load(NodeConfig.defaultDir());
        } catch (IOException e) {
            Log.warn(e.getMessage() + "; the rate limits of the settings do not apply");
            return NodeConfig.defaults();
        }
    }

    /** A rate like 500k or 4M (bytes per second, k = 1024); 0 = no limit. */
    static long rate(Args args, String name, long fallback) throws UsageException {
        Optional<String> text = args.value(name);
        if (text.isEmpty()) {
            return fallback;
        }
        long value = Args.parseSize(text.get());
        if (value < 0) {
            throw new UsageException("--" + name + " must be 0 (no limit) or more, got '" + text.get() + "'");
        }
        return value;
    }

    /** Reads the .torrent with an error a person understands when the file is not there. */
    static Metainfo readTorrent(String file) throws IOException, MetainfoException {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IOException("no such torrent file: " + file);
        }
        return Metainfo.read(path);
    }

    static List<InetSocketAddress> peers(List<String> specs) throws UsageException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.lastIndexOf(':');
            if (colon <= 0 || colon == spec.length() - 1) {
                throw new UsageException("--peer must be HOST:PORT, got '" + spec + "'");
            }
            String host = spec.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UsageException("--peer port must be a number, got '" + spec + "'");
            }
            if (port < 1 || port > 65535) {
                throw new UsageException("--peer port must be 1..65535, got " + port);
            }
            InetSocketAddress a = new InetSocketAddress(host, port);
            if (a.isUnresolved()) {
                throw new UsageException("--peer: unknown host '" + host + "'");
            }
            out.add(a);
        }
        return out;
    }

    static Set<String> valued(String... more) {
        Set<String> all = new java.util.HashSet<>(VALUED);
        all.addAll(List.of(more));
        return all;
    }

    static Set<String> flags(String... more) {
        Set<String> all = new java.util.HashSet<>(FLAGS);
        all.addAll(List.of(more));
        return all;
    }
}
