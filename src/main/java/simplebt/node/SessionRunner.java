package simplebt.node;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import simplebt.log.Log;
import simplebt.cli.ProgressBar;
import simplebt.cli.Units;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.HostOptions;
import simplebt.swarm.SessionHost;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.SessionStatus;
import simplebt.swarm.TorrentSession;
import simplebt.trackerclient.SharedHttpClients;

/**
 * Runs a session for a command: checks data with a progress bar, starts, and on Ctrl-C or
 * SIGTERM closes it cleanly (the tracker hears {@code stopped}, the resume file is saved)
 * before the JVM exits: with 0 for a seeder or a finished download (a stop we were asked
 * for), 130 for a download cut short.
 */
final class SessionRunner {
    private final Metainfo meta;
    private final SessionOptions options;
    private final HostOptions hostOptions;
    private final boolean seeding;
    private volatile SessionHost host;
    private volatile TorrentSession session;
    private HostShutdown hook;
    private NodeDht.Settings dhtSettings = NodeDht.Settings.OFF;
    private volatile NodeDht dht;
    private SessionHost startedHost; // the command's thread only, like the two below
    private NodeDht startedDht;
    private final Remembered remembered = new Remembered(NodeConfig.defaultDir());
    /** Puts the torrent in the node's list; started by {@link #start}, joined before the totals are saved. */
    private volatile Thread remembering;

    /**
     * @param hostOptions the port and the process-wide limits
     * @param seeding     true for {@code seed}: being stopped is how a seeder ends, so exit 0
     */
    SessionRunner(Metainfo meta, SessionOptions options, HostOptions hostOptions, boolean seeding) {
        this.meta = meta;
        this.options = options;
        this.hostOptions = hostOptions;
        this.seeding = seeding;
    }

    /** Puts the torrent on the DHT too when it starts (not if private). */
    SessionRunner withDht(NodeDht.Settings settings) {
        dhtSettings = settings;
        return this;
    }

    /**
     * Runs the torrent on a host and DHT that are open already (a magnet link's, see {@link
     * MagnetFetch}); null host: open one as usual. The DHT is closed here if the torrent is private.
     */
    SessionRunner withStarted(SessionHost openHost, NodeDht openDht) {
        startedHost = openHost;
        startedDht = openDht;
        return this;
    }

    TorrentSession start() throws IOException, InterruptedException {
        ProgressBar check = new ProgressBar("checking", meta.info().totalLength());
        hook = new HostShutdown(() -> host, () -> session == null || session.status().complete(), seeding, h -> {
            saveTotals(h);
            closeDht(); // on Ctrl-C too: saves the routing table this run learnt
        });
        prepareTrackerClient();
        host = startedHost != null ? startedHost : SessionHost.start(hostOptions);
        session = host.add(meta, options.withCheckProgress(check::update)).session().orElseThrow();
        // On the DHT before the bookkeeping below (its fsyncs took ~0.1 s): for a link with only
        // an info hash the DHT is the torrent's only source of peers.
        // A private torrent (BEP 27; all of our tracker's) opens no DHT socket at all.
        dht = NodeDht.reuseOrStart(startedDht, !meta.info().isPrivate(), dhtSettings, hostOptions.bind(), host.port(),
                options.configDir().orElse(null));
        dht.attach(session);
        // So `serve` runs it too; on its own thread, off the way to the first piece: it loads Gson
        // and fsyncs two files under a lock file every node of this user shares (six leechers
        // started at once waited for each other there before listening; bench/profile/NOTES.md).
        remembering = Thread.ofVirtual().name("remember").start(() -> remembered.add(meta, options.dataDir()));
        SessionStatus first = session.status();
        check.finish(meta.info().totalLength(), first.piecesDone() + "/" + first.pieceCount() + " pieces on disk");
        Log.info("listening on port " + session.port() + " (info hash " + meta.infoHash().hex() + ")");
        return session;
    }

    /**
     * Has the tracker's HTTP client built on another core while this thread checks the data and
     * opens the port: the first announce (the only source of peers without --peer) would
     * otherwise wait for it, about 100-300 ms of a node's start on 2 cores (SharedHttpClients).
     * The session picks its trackers the same way: --tracker beats the torrent's, http(s) only.
     */
    private void prepareTrackerClient() {
        if (options.useTrackers()) {
            (options.trackers().isEmpty() ? meta.trackers() : options.trackers()).stream()
                    .filter(u -> u.startsWith("http://") || u.startsWith("https://")).findFirst()
                    .ifPresent(url -> SharedHttpClients.prepare(url, SharedHttpClients.Redirects.FOLLOW));
        }
    }

    /** Prints a progress line until {@code until} holds; returns false if the session failed. */
    void showUntil(String label, BooleanSupplier until, boolean upload) throws InterruptedException, IOException {
        ProgressBar bar = new ProgressBar(label, session.status().totalBytes()); // the chosen files' share with --only
        while (!until.getAsBoolean()) {
            // Complete already (a seeder): just pace the display. A download that has just
            // completed goes on at once: this sleep used to add 250 ms to every download's end.
            if (session.awaitCompletion(Duration.ofMillis(250)) && !until.getAsBoolean()) {
                Thread.sleep(250);
            }
            bar.update(session.status().verifiedBytes(), extra(session.status(), upload));
        }
        bar.finish(session.status().verifiedBytes(), extra(session.status(), upload));
    }

    static String extra(SessionStatus s, boolean upload) {
        String peers = "peers " + s.peers() + (s.peers() == 0 ? s.waitingFor().map(w -> " (" + w + ")").orElse("") : "");
        return upload ? peers + "  up " + Units.rate(s.uploadRate()) + "  sent " + Units.bytes(s.uploaded()) : peers;
    }

    /** Closes the session and removes the hook, so the caller's exit code stands. */
    void close() {
        if (hook != null && !hook.remove()) {
            return; // already shutting down: the hook closes the session
        }
        closeDht();
        if (host != null) {
            host.close();
            saveTotals(host);
        }
    }

    private void closeDht() {
        NodeDht d = dht;
        if (d != null) {
            d.close(); // saves the table
        }
    }

    /** Adds what the host sent and received to the list, once the torrent is in it. */
    private void saveTotals(SessionHost closed) {
        Thread adding = remembering;
        if (adding != null) {
            try {
                adding.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        remembered.saveTotals(closed);
    }
}
