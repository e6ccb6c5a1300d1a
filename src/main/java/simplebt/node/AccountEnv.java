package simplebt.node;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.trackerclient.ApiClient;

/**
 * What the account commands share: where the config lives, stdin/stdout (injectable for
 * tests), which tracker to talk to ({@code --tracker}, else the config's, else the default)
 * and how to get a password without echoing it.
 */
record AccountEnv(Path configDir, InputStream in, PrintStream out) {
    static AccountEnv system() {
        return new AccountEnv(NodeConfig.defaultDir(), System.in, System.out);
    }

    NodeConfig config() throws IOException {
        return NodeConfig.load(configDir);
    }

    /** The tracker URL for this run: --tracker beats the saved one. */
    static String trackerUrl(Args args, NodeConfig config) {
        return args.value("tracker").orElse(config.trackerUrl());
    }

    /** A client for the chosen tracker, with the saved token only if it was issued by that tracker. */
    static ApiClient client(Args args, NodeConfig config) throws UsageException {
        String url = trackerUrl(args, config);
        String token = config.loggedIn() && sameUrl(url, config.trackerUrl()) ? config.token() : null;
        try {
            return new ApiClient(url, token);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Like {@link #client} but fails with a clear line when not logged in. */
    static ApiClient loggedInClient(Args args, NodeConfig config) throws UsageException {
        String url = trackerUrl(args, config);
        if (!config.loggedIn() || !sameUrl(url, config.trackerUrl())) {
            throw new UsageException("not logged in to " + url + "; run: node login USERNAME --tracker " + url);
        }
        return client(args, config);
    }

    static boolean sameUrl(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** From stdin's first line with --password-stdin, else a no-echo prompt on the terminal. */
    String password(Args args, String prompt) throws IOException, UsageException {
        if (args.flag("password-stdin")) {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new UsageException("--password-stdin: no password on standard input");
            }
            return line;
        }
        Console console = System.console();
        if (console == null) {
            throw new UsageException("no terminal to ask for the password; pipe it in with --password-stdin");
        }
        char[] pw = console.readPassword("%s", prompt);
        if (pw == null || pw.length == 0) {
            throw new UsageException("no password given");
        }
        return new String(pw);
    }
}
