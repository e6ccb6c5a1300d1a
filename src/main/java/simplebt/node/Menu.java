package simplebt.node;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import simplebt.log.Log;
import simplebt.cli.Prompt;

/**
 * The interactive menu ({@code java -jar node.jar} with no arguments), the original project's
 * flow: logged out it offers Register, Log in, Settings, Exit; logged in it offers Seed,
 * Download, My torrents, Settings, Log out, Exit. Every error is one line and the menu goes on.
 */
final class Menu {
    private static final List<String> LOGGED_OUT = List.of("Register", "Log in", "Settings", "Exit");
    private static final List<String> LOGGED_IN = List.of("Seed a file or folder", "Download", "My torrents",
            "Settings", "Log out", "Exit");

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
                if (choice.equals("Exit")) {
                    ctx.say("Bye.");
                    return 0;
                }
                perform(choice);
            }
        } catch (Prompt.EndOfInput e) {
            return 0;
        } catch (IOException e) {
            ctx.say("error: " + e.getMessage());
            return 1;
        }
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
