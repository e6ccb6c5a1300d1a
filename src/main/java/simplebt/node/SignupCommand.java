package simplebt.node;

import java.util.List;
import java.util.Set;

import simplebt.cli.Args;
import simplebt.cli.UsageException;

/** {@code node signup USERNAME}: create an account on the tracker. */
final class SignupCommand implements Command {
    private final AccountEnv env;

    SignupCommand() {
        this(AccountEnv.system());
    }

    SignupCommand(AccountEnv env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "signup";
    }

    @Override
    public String summary() {
        return "create an account on the tracker";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar signup USERNAME [--password-stdin] [--tracker URL]

                Creates an account. Usernames are 3-32 letters, digits, '_', '-' or '.';
                passwords at least 8 characters. The password is asked for without echo,
                or read from the first line of standard input with --password-stdin.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("tracker"), Set.of("password-stdin", "debug", "quiet"));
        if (args.positional().size() != 1) {
            throw new UsageException("signup needs exactly one USERNAME");
        }
        String username = args.positional().get(0);
        NodeConfig config = env.config();
        String password = env.password(args, "Password for " + username + ": ");
        if (!args.flag("password-stdin") && !password.equals(env.password(args, "Repeat the password: "))) {
            throw new UsageException("the two passwords differ");
        }
        AccountEnv.client(args, config).signup(username, password);
        env.out().println("account " + username + " created on " + AccountEnv.trackerUrl(args, config)
                + "; log in with: node login " + username);
        return 0;
    }
}
