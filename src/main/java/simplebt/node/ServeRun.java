package simplebt.node;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import simplebt.cli.StatusBlock;
import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionHost;

/**
 * A running {@code serve}: shows what each torrent does (a block redrawn in place on a terminal;
 * in a log, a line when a torrent changes state and a snapshot every minute), saves the totals
 * every minute, and on SIGTERM or Ctrl-C ({@link HostShutdown}) closes the host (every torrent
 * announces {@code stopped} and saves its resume file), saves the totals once more and exits 0.
 *
 * <p>Threads: {@link #loop} runs on the command's thread and owns {@code shown} and {@code onDht}; the shutdown
 * hook touches only the host and the totals, which guard themselves.
 */
final class ServeRun {
    private static final long EVERY_MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final SessionHost host;
    private final Remembered remembered;
    private final NodeDht dht;
    private final boolean terminal;
    /**
     * Torrents already put on the DHT, once each once running (they start in the background, and
     * may go dormant and wake with new sessions); owned by the loop's thread.
     */
    private final Set<InfoHash> onDht = new HashSet<>();
    /** The last state printed per torrent; owned by the loop's thread. */
    private final Map<InfoHash, HostedTorrent.State> shown = new HashMap<>();

    ServeRun(SessionHost host, Remembered remembered, NodeDht dht, boolean terminal) {
        this.host = host;
        this.remembered = remembered;
        this.dht = dht;
        this.terminal = terminal;
        // serve ends only by being stopped: exit 0; the DHT saves its table as it closes
        new HostShutdown(() -> host, () -> true, true, h -> {
            remembered.saveTotals(h);
            dht.close();
        });
    }

    /** Runs until the process is told to stop (the hook ends it). */
    void loop() throws InterruptedException {
        StatusBlock block = new StatusBlock(System.out, terminal, EVERY_MINUTE);
        long lastSave = System.nanoTime();
        while (true) {
            Thread.sleep(1000);
            List<HostedTorrent> all = host.torrents();
            for (HostedTorrent t : all) {
                // started: a session, or dormant (one its resume file vouches for starts dormant, never with a session)
                if ((t.session().isPresent() || t.isDormant()) && onDht.add(t.infoHash())) {
                    dht.attach(t, host.port()); // private ones: TorrentDht does nothing
                }
            }
            if (!Log.isQuiet()) {
                if (!terminal) {
                    logStateChanges(all);
                }
                block.show(() -> all.stream().map(ManyTorrents::line).toList());
            }
            if (System.nanoTime() - lastSave >= EVERY_MINUTE) {
                lastSave = System.nanoTime();
                remembered.saveTotals(host); // a crash then loses at most a minute of the totals
            }
        }
    }

    private void logStateChanges(List<HostedTorrent> all) {
        for (HostedTorrent t : all) {
            HostedTorrent.State state = t.state();
            if (shown.put(t.infoHash(), state) != state) {
                System.out.println(ManyTorrents.line(t) + (state == HostedTorrent.State.FAILED
                        ? "  " + t.status().failure().orElse("") : ""));
            }
        }
    }
}
