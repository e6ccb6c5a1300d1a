package simplebt.node;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import simplebt.log.Log;
import simplebt.cli.ProgressBar;
import simplebt.cli.Units;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.SessionStatus;
import simplebt.swarm.TorrentSession;

/**
 * Runs a session for a command: checks data with a progress bar, starts, and on Ctrl-C or
 * SIGTERM closes it cleanly (the tracker hears {@code stopped}, the resume file is saved)
 * before the JVM exits: with 0 for a seeder or a finished download (a stop we were asked
 * for), 130 for a download cut short.
 */
final class SessionRunner {
    private final Metainfo meta;
    private final SessionOptions options;
    private final boolean seeding;
    private volatile TorrentSession session;
    private Thread hook;

    /** @param seeding true for {@code seed}: being stopped is how a seeder ends, so exit 0 */
    SessionRunner(Metainfo meta, SessionOptions options, boolean seeding) {
        this.meta = meta;
        this.options = options;
        this.seeding = seeding;
    }

    TorrentSession start() throws IOException, InterruptedException {
        ProgressBar check = new ProgressBar("checking", meta.info().totalLength());
        hook = new Thread(() -> {
            TorrentSession s = session;
            if (s != null) {
                s.close();
            }
            System.out.flush();
            boolean finished = s == null || s.status().complete();
            Runtime.getRuntime().halt(finished || seeding ? 0 : 130);
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        session = TorrentSession.start(meta, options.withCheckProgress(check::update));
        SessionStatus first = session.status();
        check.finish(meta.info().totalLength(), first.piecesDone() + "/" + first.pieceCount() + " pieces on disk");
        Log.info("listening on port " + session.port() + " (info hash " + meta.infoHash().hex() + ")");
        return session;
    }

    /** Prints a progress line until {@code until} holds; returns false if the session failed. */
    void showUntil(String label, BooleanSupplier until, boolean upload) throws InterruptedException, IOException {
        ProgressBar bar = new ProgressBar(label, meta.info().totalLength());
        while (!until.getAsBoolean()) {
            if (session.awaitCompletion(Duration.ofMillis(250))) {
                Thread.sleep(250); // complete already: just pace the display
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
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                return; // already shutting down: the hook closes the session
            }
        }
        if (session != null) {
            session.close();
        }
    }
}
