package simplebt.node;

import java.io.IOException;
import java.time.Duration;

import simplebt.cli.ProgressBar;
import simplebt.cli.Prompt;
import simplebt.cli.StatusLine;
import simplebt.cli.Units;
import simplebt.swarm.SessionStatus;
import simplebt.swarm.TorrentSession;
import simplebt.log.TerminalText;

/** Shows a running session in the menu until it finishes or the person stops it. */
final class TransferView {
    private static final Duration TICK = Duration.ofMillis(200);

    private final Prompt prompt;
    private final CtrlC ctrlC;

    TransferView(Prompt prompt, CtrlC ctrlC) {
        this.prompt = prompt;
        this.ctrlC = ctrlC;
    }

    /** Progress bar until every piece is verified; false when stopped with Ctrl-C or failed. */
    boolean download(TorrentSession session) throws IOException, InterruptedException {
        long total = session.status().totalBytes(); // the chosen files' share with a selection
        ProgressBar bar = new ProgressBar("downloading", total, prompt.out(), prompt.terminal(), false);
        prompt.out().println("Downloading " + TerminalText.safe(session.metainfo().info().name()) + " (Ctrl-C to stop)");
        ctrlC.beginTransfer();
        try {
            while (!session.awaitCompletion(TICK)) {
                SessionStatus s = session.status();
                if (s.failure().isPresent() || ctrlC.stopRequested()) {
                    break;
                }
                bar.update(s.verifiedBytes(), peers(s));
            }
        } finally {
            ctrlC.endTransfer();
        }
        SessionStatus s = session.status();
        bar.finish(s.verifiedBytes(), peers(s));
        s.failure().ifPresent(f -> prompt.out().println("error: " + TerminalText.safe(f)));
        if (!s.complete() && s.failure().isEmpty()) {
            prompt.out().println("Stopped at " + s.piecesDone() + " of " + s.pieceCount()
                    + " pieces; choose it again to resume.");
        }
        return s.complete();
    }

    /** A live status line until Enter, Ctrl-C or the end of input. */
    void seed(TorrentSession session) throws IOException {
        prompt.out().println("Seeding " + TerminalText.safe(session.metainfo().info().name()) + " on port " + session.port()
                + ". Press Enter (or Ctrl-C) to stop.");
        StatusLine line = new StatusLine(prompt.out(), prompt.terminal());
        ctrlC.beginTransfer();
        try {
            while (!ctrlC.stopRequested()) {
                SessionStatus s = session.status();
                line.show("seeding: " + peers(s) + "  up " + Units.rate(s.uploadRate())
                        + "  uploaded " + Units.bytes(s.uploaded()));
                if (prompt.input().poll(TICK).isPresent()) {
                    break;
                }
            }
        } catch (Prompt.EndOfInput e) {
            // Input ended (a script finished): stop seeding; the menu sees the end next.
        } finally {
            ctrlC.endTransfer();
            line.end();
        }
        prompt.out().println("Stopped seeding.");
    }

    private static String peers(SessionStatus s) {
        return SessionRunner.extra(s, false);
    }
}
