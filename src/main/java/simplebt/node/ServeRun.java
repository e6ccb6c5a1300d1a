package simplebt.node;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import simplebt.cli.Units;
import simplebt.library.RunTotals;
import simplebt.library.TorrentLibrary;
import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionHost;
import simplebt.swarm.SessionStatus;

/**
 * A running {@code serve}: prints what each torrent does, saves the totals every minute, and on
 * SIGTERM or Ctrl-C closes the host (every torrent announces {@code stopped} and saves its
 * resume file), saves the totals once more and exits 0.
 *
 * <p>Threads: {@link #loop} runs on the command's thread and owns {@code shown}; the shutdown
 * hook touches only the host and the totals, which guard themselves.
 */
final class ServeRun {
    private static final long SAVE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final SessionHost host;
    private final RunTotals totals;
    private final long statusEveryNanos;
    /** The last state printed per torrent; owned by the loop's thread. */
    private final Map<InfoHash, HostedTorrent.State> shown = new HashMap<>();

    ServeRun(SessionHost host, RunTotals totals, boolean terminal) {
        this.host = host;
        this.totals = totals;
        // A person at a terminal wants to see it move; a log file wants a line a minute.
        this.statusEveryNanos = terminal ? TimeUnit.SECONDS.toNanos(10) : TimeUnit.MINUTES.toNanos(1);
    }

    SessionHost host() {
        return host;
    }

    void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Log.info("stopping " + host.torrents().size() + " torrents (announcing stopped)");
            host.close();
            saveTotals();
            System.out.flush();
            // halt: the command's thread is still in loop(); exit 0 is how a server ends when asked to.
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
    }

    /** Runs until the process is told to stop (the hook ends it). */
    void loop() throws InterruptedException {
        long lastStatus = System.nanoTime();
        long lastSave = System.nanoTime();
        while (true) {
            Thread.sleep(1000);
            List<HostedTorrent> all = host.torrents();
            for (HostedTorrent t : all) {
                HostedTorrent.State state = t.state();
                if (shown.put(t.infoHash(), state) != state) {
                    Log.info(line(t, state));
                }
            }
            long now = System.nanoTime();
            if (now - lastStatus >= statusEveryNanos && !Log.isQuiet()) {
                lastStatus = now;
                all.forEach(t -> System.out.println(line(t, t.state())));
            }
            if (now - lastSave >= SAVE_EVERY_NANOS) {
                lastSave = now;
                saveTotals();
            }
        }
    }

    /** One torrent's status: state, name, progress, peers, rates, bytes this run. */
    static String line(HostedTorrent t, HostedTorrent.State state) {
        SessionStatus s = t.status();
        String progress = s.totalBytes() == 0 ? "100.0%" : Units.oneDecimal(100.0 * s.verifiedBytes() / s.totalBytes()) + "%";
        String text = String.format("%-11s %s  %s  peers %d  down %s  up %s", state.name().toLowerCase(java.util.Locale.ROOT),
                "'" + t.metainfo().info().name() + "'", progress, s.peers(), Units.rate(s.downloadRate()),
                Units.rate(s.uploadRate()));
        return s.failure().map(f -> text + "  (" + f + ")").orElse(text);
    }

    private void saveTotals() {
        Map<InfoHash, TorrentLibrary.Transferred> soFar = new LinkedHashMap<>();
        for (HostedTorrent t : host.torrents()) {
            SessionStatus s = t.status();
            soFar.put(t.infoHash(), new TorrentLibrary.Transferred(s.uploaded(), s.downloaded()));
        }
        try {
            totals.save(soFar);
        } catch (IOException e) {
            Log.warn("cannot save the upload/download totals: " + e.getMessage());
        }
    }
}
