package simplebt.node;

import java.util.List;
import java.util.Set;

import simplebt.cli.Args;
import simplebt.trackerclient.ApiClient;
import simplebt.trackerclient.ApiRecords;
import simplebt.log.TerminalText;

/** {@code node whoami}: who the saved token belongs to, as the tracker sees it. */
final class WhoamiCommand implements Command {
    private final AccountEnv env;

    WhoamiCommand() {
        this(AccountEnv.system());
    }

    WhoamiCommand(AccountEnv env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "whoami";
    }

    @Override
    public String summary() {
        return "show the logged-in user";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar whoami [--tracker URL]

                Asks the tracker who the saved token belongs to and shows the account.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("tracker"), Set.of("debug", "quiet"));
        NodeConfig config = env.config();
        ApiRecords.Me me;
        try (ApiClient client = AccountEnv.loggedInClient(args, config)) {
            me = client.me();
        }
        env.out().println("username:     " + TerminalText.safe(me.username()));
        env.out().println("tracker:      " + config.trackerUrl());
        env.out().println("member since: " + me.created());
        env.out().println("uploads:      " + me.uploads());
        env.out().println("announce URL: " + TerminalText.safe(me.announceUrl()));
        return 0;
    }
}
