package simplebt.node;

import java.util.List;
import java.util.Set;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.trackerclient.ApiClient;
import simplebt.trackerclient.ApiRecords;
import simplebt.log.TerminalText;

/** {@code node login USERNAME}: get a token and keep it in the config file (mode 600). */
final class LoginCommand implements Command {
    private final AccountEnv env;

    LoginCommand() {
        this(AccountEnv.system());
    }

    LoginCommand(AccountEnv env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "login";
    }

    @Override
    public String summary() {
        return "log in to the tracker (keeps the token in your config)";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar login USERNAME [--password-stdin] [--tracker URL]

                Logs in and saves the token and tracker URL in
                $XDG_CONFIG_HOME/simplebt/config.json (mode 600). The password is asked
                for without echo, or read from standard input with --password-stdin.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("tracker"), Set.of("password-stdin", "debug", "quiet"));
        if (args.positional().size() != 1) {
            throw new UsageException("login needs exactly one USERNAME");
        }
        String username = args.positional().get(0);
        NodeConfig config = env.config();
        String password = env.password(args, "Password for " + username + ": ");
        try (ApiClient client = AccountEnv.client(args, config)) {
            ApiRecords.Login login = client.login(username, password);
            config.withLogin(client.baseUrl(), login.token(), login.username()).save(env.configDir());
            env.out().println("logged in as " + TerminalText.safe(login.username()) + " on " + client.baseUrl()
                    + " (until " + login.expires() + ")");
        }
        return 0;
    }
}
