package simplebt.node;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import simplebt.cli.Key;
import simplebt.cli.KeyChoice;
import simplebt.cli.LiveArea;
import simplebt.cli.Prompt;
import simplebt.cli.RawMode;
import simplebt.cli.Units;
import simplebt.log.Log;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionHost;
import simplebt.swarm.TorrentSession;

/**
 * The Transfers screen: every torrent of the node's session host in one table. On a terminal
 * the table refreshes in place every second and a row is picked with the arrow keys or its
 * number; piped, the table is printed once and a number is asked for. A picked torrent can be
 * paused, resumed, removed, or show its files and peers.
 */
final class TransfersFlow {
    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final List<String> RUNNING = List.of("Pause", "Remove", "Files", "Peers", "Back");
    private static final List<String> STOPPED = List.of("Resume", "Remove", "Files", "Peers", "Back");

    private final MenuContext ctx;

    TransfersFlow(MenuContext ctx) {
        this.ctx = ctx;
    }

    void run() throws IOException {
        while (true) {
            Optional<HostedTorrent> picked = ctx.prompt().keys() ? pickLive() : pickPlain(torrents());
            if (picked.isEmpty()) {
                return;
            }
            manage(picked.get());
        }
    }

    private List<HostedTorrent> torrents() {
        return ctx.runningHost().map(SessionHost::torrents).orElse(List.of());
    }

    private static List<TransferRow> rows(List<HostedTorrent> all) {
        return all.stream().map(TransferRow::of).toList();
    }

    private Optional<HostedTorrent> pickPlain(List<HostedTorrent> all) throws IOException {
        ctx.say("");
        ctx.prompt().out().print(TransfersTable.plain(rows(all)));
        if (all.isEmpty()) {
            return Optional.empty();
        }
        OptionalInt n = ctx.prompt().askNumber("Number to manage (empty to go back)", all.size());
        return n.isPresent() ? Optional.of(all.get(n.getAsInt())) : Optional.empty();
    }

    /** The live table until a row is picked (Enter) or the person backs out (q, Esc). */
    private Optional<HostedTorrent> pickLive() throws IOException {
        Optional<RawMode> raw = RawMode.enter();
        if (raw.isEmpty()) {
            return pickPlain(torrents());
        }
        try (RawMode mode = raw.get()) {
            KeyChoice choice = new KeyChoice(0, true);
            LiveArea area = new LiveArea(ctx.prompt().out());
            ctx.prompt().out().println();
            while (true) {
                List<HostedTorrent> all = torrents();
                choice.count(all.size());
                area.draw(TransfersTable.screen(heading(all), rows(all), choice.selected(), choice.promptLine(), mode.columns(), mode.rows()));
                Optional<Key> key = ctx.prompt().input().pollKey(REFRESH);
                if (key.isEmpty()) {
                    continue;
                }
                switch (choice.apply(key.get())) {
                    case PICKED -> {
                        area.end();
                        return Optional.of(all.get(choice.selected()));
                    }
                    case BACK -> {
                        area.end();
                        return Optional.empty();
                    }
                    case END_OF_INPUT -> {
                        area.end();
                        throw new Prompt.EndOfInput();
                    }
                    case MOVED -> {
                        // redraw with the new highlight
                    }
                }
            }
        }
    }

    private String heading(List<HostedTorrent> all) {
        double down = 0;
        double up = 0;
        for (HostedTorrent t : all) {
            down += t.status().downloadRate();
            up += t.status().uploadRate();
        }
        String port = ctx.runningHost().map(h -> " on port " + h.port()).orElse("");
        return "Transfers" + port + ": down " + Units.rate(down) + ", up " + Units.rate(up) + " (refreshed every second)";
    }

    private void manage(HostedTorrent t) throws IOException {
        String name = t.metainfo().info().name();
        HostedTorrent.State state = t.state();
        boolean running = state != HostedTorrent.State.PAUSED && state != HostedTorrent.State.FAILED;
        List<String> actions = running ? RUNNING : STOPPED;
        String title = name + ": " + TransferRow.of(t).state() + t.status().failure().map(f -> " (" + f + ")").orElse("");
        SessionHost host = ctx.host();
        switch (actions.get(ctx.prompt().choose(title, actions, actions.size() - 1))) {
            case "Pause" -> {
                ctx.say("Pausing " + name + " (telling the tracker)...");
                host.pause(t.infoHash());
                ctx.remembered().setPaused(t, true);
                ctx.say("Paused " + name + ".");
            }
            case "Resume" -> {
                // The start (its resume file, or a data check) runs on its own thread; the table shows it.
                ctx.remembered().setPaused(t, false);
                Thread.ofVirtual().name("resume-" + t.infoHash().hex()).start(() -> resume(host, t));
                ctx.say("Resuming " + name + ".");
            }
            case "Remove" -> {
                if (ctx.prompt().confirm("Remove " + name + " from Transfers? Its files stay in "
                        + t.options().dataDir() + ".", false)) {
                    ctx.say("Removing " + name + " (telling the tracker)...");
                    host.remove(t.infoHash());
                    ctx.remembered().forget(t);
                    ctx.say("Removed " + name + ".");
                }
            }
            case "Files" -> {
                ctx.say("");
                ctx.prompt().out().print(TransferDetails.files(t.metainfo().info(), t.session().map(TorrentSession::have)).render());
            }
            case "Peers" -> {
                List<simplebt.swarm.PeerSummary> peers = t.session().map(TorrentSession::peers).orElse(List.of());
                ctx.say("");
                if (peers.isEmpty()) {
                    ctx.say(running ? "No peers connected to " + name + " right now." : name + " is " + TransferRow.of(t).state() + ": no peers.");
                } else {
                    ctx.prompt().out().print(TransferDetails.peers(peers).render());
                }
            }
            default -> {
                // Back
            }
        }
    }

    private static void resume(SessionHost host, HostedTorrent t) {
        try {
            host.resume(t.infoHash());
        } catch (IOException | RuntimeException e) {
            Log.debug("resuming " + t.metainfo().info().name() + " failed: " + e); // the table says "failed" with the reason
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After "keep seeding" at Exit: the torrents run as {@code node serve} runs them, until
     * Ctrl-C (or SIGTERM, whose shutdown hook closes the host). On a terminal the table stays
     * live; otherwise it is printed once a minute.
     */
    void serveUntilStopped() throws IOException {
        int port = ctx.host().port();
        ctx.say("Running " + torrents().size() + " torrents on port " + port + " until Ctrl-C.");
        CtrlC ctrlC = ctx.ctrlC();
        ctrlC.beginTransfer();
        // Raw mode only to keep typed keys from echoing into the table; Ctrl-C still signals.
        Optional<RawMode> raw = ctx.prompt().terminal() ? RawMode.enter() : Optional.empty();
        try {
            LiveArea area = new LiveArea(ctx.prompt().out());
            long lastPrint = 0;
            while (!ctrlC.stopRequested()) {
                List<HostedTorrent> all = torrents();
                if (raw.isPresent()) {
                    area.draw(TransfersTable.screen(heading(all), rows(all), -1, "Ctrl-C stops everything.", raw.get().columns(),
                            raw.get().rows()));
                } else if (System.nanoTime() - lastPrint > Duration.ofMinutes(1).toNanos() || lastPrint == 0) {
                    lastPrint = System.nanoTime();
                    ctx.prompt().out().print(TransfersTable.plain(rows(all)));
                    ctx.prompt().out().flush();
                }
                Thread.sleep(REFRESH.toMillis());
            }
            area.end();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            raw.ifPresent(RawMode::close);
            ctrlC.endTransfer();
        }
    }
}
