package simplebt.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.log.Log;
import simplebt.cli.Prompt;
import simplebt.magnet.MagnetLink;
import simplebt.magnet.MagnetResolver;
import simplebt.metainfo.Metainfo;
import simplebt.secure.EncryptionMode;
import simplebt.swarm.HostOptions;
import simplebt.swarm.SessionHost;
import simplebt.swarm.SessionOptions;
import simplebt.trackerclient.ApiClient;
import simplebt.log.TerminalText;

/**
 * What every menu screen shares: the prompt, the saved config, Ctrl-C, the torrents folder, and
 * the session host that runs every torrent added from the menu behind one port. All fields
 * belong to the menu thread; the host itself is safe from any thread (its shutdown hook closes it).
 */
final class MenuContext {
    private final Prompt prompt;
    private final Path configDir;
    private final Path torrentsDir;
    private final CtrlC ctrlC;
    private NodeConfig config;
    private SessionHost host;
    private MenuDht menuDht; // set with host, the menu's thread only
    /** A magnet link's metadata fetch, which Ctrl-C ends before the hook below closes the host. */
    private final StoppableFetch metadataFetch = new StoppableFetch();
    /** The node's torrent list: what the menu runs, `serve` runs after it (safe from any thread). */
    private final Remembered remembered;

    MenuContext(Prompt prompt, Path configDir, Path torrentsDir, CtrlC ctrlC) throws IOException {
        this.prompt = prompt;
        this.configDir = configDir;
        this.torrentsDir = torrentsDir;
        this.ctrlC = ctrlC;
        this.config = NodeConfig.load(configDir);
        this.remembered = new Remembered(configDir);
    }

    Remembered remembered() {
        return remembered;
    }

    Prompt prompt() {
        return prompt;
    }

    CtrlC ctrlC() {
        return ctrlC;
    }

    Path torrentsDir() {
        return torrentsDir;
    }

    NodeConfig config() {
        return config;
    }

    void save(NodeConfig updated) throws IOException {
        updated.save(configDir);
        config = updated;
    }

    ApiClient api() {
        return new ApiClient(config.trackerUrl(), config.loggedIn() ? config.token() : null);
    }

    /**
     * The node's session host, started at the first Seed or Download on the listen port from
     * the settings (a later change of the port applies from the next start). Its torrents
     * announce {@code stopped} when the program ends, Ctrl-C and SIGTERM included.
     */
    SessionHost host() throws IOException {
        if (host == null) {
            host = SessionHost.start(hostOptions());
            SessionHost started = host;
            MenuDht dht = new MenuDht(started, dhtSettings(), configDir);
            menuDht = dht;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                metadataFetch.end(); // its trackers hear 'stopped'; it may use the DHT until then
                dht.close(); // saves the DHT's table
                started.close();
                remembered.saveTotals(started);
            }, "close-torrents"));
        }
        return host;
    }

    /**
     * A magnet link's torrent, fetched from its peers, its trackers and the node's DHT (BEP 9);
     * the host's port is announced, as the host will run the torrent. Ctrl-C ends the fetch as
     * a time-out would (its trackers hear {@code stopped}) before the program ends.
     */
    Metainfo fetchMetadata(MagnetLink link, Duration timeout) throws IOException, InterruptedException {
        int port = host().port();
        return metadataFetch.run(() -> MagnetResolver.resolve(link, List.of(), port, timeout, menuDht.lookup(link.infoHash())));
    }

    /** The DHT as `download` and `seed` have it by default: on, on the listen port, the routers (or $SIMPLEBT_DHT_BOOTSTRAP). */
    private static NodeDht.Settings dhtSettings() {
        try {
            return NodeDht.settings(Args.parse(List.of(), SessionArgs.valued(), SessionArgs.flags()));
        } catch (UsageException e) {
            Log.warn("DHT off: " + e.getMessage());
            return NodeDht.Settings.OFF;
        }
    }

    /** The host if Seed or Download started it. */
    Optional<SessionHost> runningHost() {
        return Optional.ofNullable(host);
    }

    /**
     * Adds a torrent to the host and returns at once: its data check and start run in the
     * background and Transfers shows them. False (and one line) when it is in Transfers already.
     */
    boolean addTransfer(Metainfo meta, SessionOptions options) throws IOException {
        try {
            host().addInBackground(meta, options);
            remembered.add(meta, options.dataDir()); // so `serve` (and `node torrents`) know it
            return true;
        } catch (IllegalArgumentException e) {
            say(meta.info().name() + " is in Transfers already.");
            return false;
        }
    }

    /** Whether this torrent is in Transfers (running or paused). */
    boolean inTransfers(Metainfo meta) {
        return host != null && host.torrent(meta.infoHash()).isPresent();
    }

    /** Session options from the settings: listen port (next free one if taken), encryption, direct writes. */
    SessionOptions sessionOptions(Path dataDir) {
        return SessionOptions.of(dataDir)
                .withConfigDir(configDir)
                .withPort(config.port())
                .withEncryption(encryption())
                .withDirectWrites(!"off".equals(config.directWrites())); // only "off" turns it off
    }

    /** What the menu's torrents share (for a SessionHost): the listen port and the rate limits of the settings. */
    HostOptions hostOptions() {
        return HostOptions.of().withPort(config.port())
                .withMaxConnections(HostOptions.DEFAULT_MAX_CONNECTIONS).withUploadSlots(HostOptions.DEFAULT_UPLOAD_SLOTS)
                .withMaxUploadRate(config.maxUploadRate()).withMaxDownloadRate(config.maxDownloadRate());
    }

    /** The saved setting; a hand-edited value we do not know falls back to the default, with a warning. */
    private EncryptionMode encryption() {
        try {
            return EncryptionMode.parse(config.encryption());
        } catch (IllegalArgumentException e) {
            Log.warn("settings: " + e.getMessage() + "; using preferred");
            return EncryptionMode.PREFERRED;
        }
    }

    void say(String line) {
        prompt.out().println(TerminalText.safe(line)); // lines quote torrent names and server replies
    }
}
