package simplebt.node;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import simplebt.cli.Args;
import simplebt.cli.Table;
import simplebt.cli.Units;
import simplebt.cli.UsageException;

/** Shows and changes the saved settings: tracker, download folder, port, encryption, rates, direct writes, debug. */
final class SettingsFlow {
    private static final List<String> ITEMS = List.of("Tracker URL", "Download folder", "Listen port",
            "Encryption", "Rate limits", "Direct writes", "Debug log", "Back");
    private static final List<String> MODES = List.of("preferred", "required", "off");

    private final MenuContext ctx;

    SettingsFlow(MenuContext ctx) {
        this.ctx = ctx;
    }

    void run() throws IOException {
        while (true) {
            NodeConfig c = ctx.config();
            ctx.say("");
            ctx.say(new Table("Setting", "Value")
                    .row("Tracker URL", c.trackerUrl())
                    .row("Download folder", c.downloadDir())
                    .row("Listen port", c.port())
                    .row("Encryption", c.encryption())
                    .row("Upload limit", limit(c.maxUploadRate()))
                    .row("Download limit", limit(c.maxDownloadRate()))
                    .row("Direct writes", directWritesOn(c) ? "on (pieces written around the page cache)" : "off")
                    .row("Debug log", c.debug() ? "on (logs/node.log)" : "off")
                    .render().stripTrailing());
            int pick = ctx.prompt().choose("Settings", ITEMS, ITEMS.size() - 1); // Esc or q: Back
            switch (ITEMS.get(pick)) {
                case "Tracker URL" -> trackerUrl(c);
                case "Download folder" -> ctx.save(c.withDownloadDir(
                        ctx.prompt().ask("Download folder", Optional.of(c.downloadDir()))));
                case "Listen port" -> port(c);
                case "Encryption" -> ctx.save(c.withEncryption(MODES.get(ctx.prompt().choose(
                        "Encryption between our nodes (preferred falls back to plain for other clients)", MODES))));
                case "Rate limits" -> {
                    ctx.save(c.withRates(rate("Upload limit", c.maxUploadRate()), rate("Download limit", c.maxDownloadRate())));
                    // the session host's token buckets are set when it starts
                    ctx.runningHost().ifPresent(h -> ctx.say("Running torrents keep their limits until the node starts again."));
                }
                case "Direct writes" -> {
                    ctx.save(c.withDirectWrites(directWritesOn(c) ? "off" : "on"));
                    ctx.say("Direct writes save CPU but wait for the disk: on a slow disk turn them off."
                            + (ctx.runningHost().isPresent() ? " Running torrents keep theirs until they start again." : ""));
                }
                case "Debug log" -> ctx.save(c.withDebug(!c.debug()));
                default -> {
                    return;
                }
            }
        }
    }

    private void trackerUrl(NodeConfig c) throws IOException {
        String url = ctx.prompt().ask("Tracker URL", Optional.of(c.trackerUrl()));
        try {
            URI uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            ctx.say("error: a tracker URL looks like http://HOST:PORT");
            return;
        }
        if (url.equals(c.trackerUrl())) {
            return;
        }
        if (c.loggedIn()) {
            ctx.say("The login belongs to the old tracker; you are now logged out.");
            c = c.withoutLogin();
        }
        ctx.save(c.withTrackerUrl(url));
    }

    /** What a session makes of the setting: only "off" turns direct writes off (MenuContext). */
    private static boolean directWritesOn(NodeConfig c) {
        return !"off".equals(c.directWrites());
    }

    private static String limit(long rate) {
        return rate == 0 ? "none" : Units.rate(rate);
    }

    /** All torrents together, bytes per second: 500k, 4M, 0 for none; a bad answer keeps {@code current}. */
    private long rate(String what, long current) throws IOException {
        String answer = ctx.prompt().ask(what + " per second, all torrents together (e.g. 500k, 4M; 0 = none)",
                Optional.of(Long.toString(current)));
        try {
            long r = Args.parseSize(answer);
            if (r >= 0) {
                return r;
            }
        } catch (UsageException e) {
            // said below
        }
        ctx.say("error: a rate looks like 500k or 4M (bytes per second), or 0 for none");
        return current;
    }

    private void port(NodeConfig c) throws IOException {
        String answer = ctx.prompt().ask("Listen port (1-65535)", Optional.of(Integer.toString(c.port())));
        try {
            int p = Integer.parseInt(answer);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            ctx.save(c.withPort(p));
            if (p != c.port()) {
                // the one listening port of every running torrent cannot move under their peers
                ctx.runningHost().ifPresent(h -> ctx.say("Running torrents keep port " + h.port() + " until the node starts again."));
            }
        } catch (NumberFormatException e) {
            ctx.say("error: a port is a number from 1 to 65535");
        }
    }
}
