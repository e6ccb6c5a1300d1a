package simplebt.node;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import simplebt.log.Log;
import simplebt.cli.Prompt;
import simplebt.swarm.HostedTorrent;
import simplebt.swarm.SessionHost;

/**
 * The interactive menu ({@code java -jar node.jar} with no arguments), the original project's
 * flow: logged out it offers Register, Log in, Settings, Exit; logged in it offers Seed,
 * Download, Transfers, My torrents, Settings, Log out, Exit. Seed and Download add the torrent
 * to the node's one session host and come back at once; Transfers shows and manages them all.
 * Every error is one line and the menu goes on.
 */
final class Menu {
    private static final List<String> LOGGED_OUT = List.of("Register", "Log in", "Settings", "Exit");
    private static final List<String> LOGGED_IN = List.of("Seed a file or folder", "Download", "Transfers", "My torrents",
            "Settings", "Log out", "Exit");
    private static final List<String> ON_EXIT = List.of("Keep seeding until Ctrl-C (as node serve runs them)",
            "Stop everything and exit", "Back to the menu");

    private final MenuContext ctx;

    Menu(MenuContext ctx) {
        this.ctx = ctx;
    }

    static int runSystem() throws IOException {
        CtrlC ctrlC = new CtrlC();
        ctrlC.install();
        MenuContext ctx = new MenuContext(Prompt.system(), NodeConfig.defaultDir(), Path.of("torrents"), ctrlC);
        return new Menu(ctx).run();
    }

    int run() {
        ctx.say("Simple-BitTorrent node");
        applyDebug();
        try {
            while (true) {
                boolean in = ctx.config().loggedIn();
                String title = in
                        ? "Logged in as " + ctx.config().username() + " at " + ctx.config().trackerUrl()
                        : "Not logged in (tracker " + ctx.config().trackerUrl() + ")";
                List<String> choices = in ? LOGGED_IN : LOGGED_OUT;
                String choice = choices.get(ctx.prompt().choose(title, choices));
                if (choice.equals("Exit") && exit()) {
                    ctx.say("Bye.");
                    return 0;
                }
                if (!choice.equals("Exit")) {
                    perform(choice);
                }
            }
        } catch (Prompt.EndOfInput e) {
            return 0;
        } catch (IOException e) {
            ctx.say("error: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Exit: with torrents still running, asks whether they keep running (until Ctrl-C) or stop;
     * either way they announce {@code stopped} before the program ends. False: back to the menu.
     */
    private boolean exit() throws IOException {
        Optional<SessionHost> host = ctx.runningHost();
        long running = host.map(h -> h.torrents().stream().filter(t -> t.state() != HostedTorrent.State.PAUSED
                && t.state() != HostedTorrent.State.FAILED).count()).orElse(0L);
        if (running > 0) {
            String title = running + (running == 1 ? " torrent is" : " torrents are") + " still running. On exit:";
            switch (ctx.prompt().choose(title, ON_EXIT, ON_EXIT.size() - 1)) {
                case 0 -> new TransfersFlow(ctx).serveUntilStopped();
                case 1 -> {
                    // stop below
                }
                default -> {
                    return false;
                }
            }
        }
        if (host.isPresent()) {
            int n = host.get().torrents().size();
            if (n > 0) {
                ctx.say("Stopping " + n + (n == 1 ? " torrent" : " torrents") + " (telling the tracker)...");
            }
            host.get().close();
        }
        return true;
    }

    private void perform(String choice) throws Prompt.EndOfInput {
        AccountFlow accounts = new AccountFlow(ctx);
        try {
            switch (choice) {
                case "Register" -> accounts.register();
                case "Log in" -> accounts.login();
                case "Log out" -> accounts.logout();
                case "Settings" -> {
                    new SettingsFlow(ctx).run();
                    applyDebug();
                }
                case "Seed a file or folder" -> new SeedFlow(ctx).run();
                case "Download" -> new DownloadFlow(ctx).run();
                case "Transfers" -> new TransfersFlow(ctx).run();
                case "My torrents" -> new DownloadFlow(ctx).showMine();
                default -> throw new IllegalStateException("no action for " + choice);
            }
        } catch (Prompt.EndOfInput e) {
            throw e;
        } catch (IOException e) {
            ctx.say("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            Log.debug("menu action failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.say("error: interrupted");
        } catch (RuntimeException e) {
            ctx.say("error: " + e);
            Log.debug("menu action failed", e);
        }
    }

    /** The debug setting logs to logs/node.log so the screen stays readable. */
    private void applyDebug() {
        boolean on = ctx.config().debug() || Log.isDebug();
        Log.setDebug(on);
        if (on) {
            try {
                Files.createDirectories(Path.of("logs"));
                Log.setDebugStream(new PrintStream(new FileOutputStream("logs/node.log", true), true, StandardCharsets.UTF_8));
            } catch (IOException e) {
                ctx.say("warning: cannot open logs/node.log (" + e.getMessage() + "); debug goes to stderr");
            }
        }
    }
}
