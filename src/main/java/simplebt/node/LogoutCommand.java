package simplebt.node;

import java.util.List;
import java.util.Set;

import simplebt.cli.Args;
import simplebt.log.Log;
import simplebt.trackerclient.ApiClient;
import simplebt.trackerclient.TrackerApiException;

/** {@code node logout}: revoke the token on the tracker and forget it locally. */
final class LogoutCommand implements Command {
    private final AccountEnv env;

    LogoutCommand() {
        this(AccountEnv.system());
    }

    LogoutCommand(AccountEnv env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "logout";
    }

    @Override
    public String summary() {
        return "log out (revokes the token)";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar logout

                Revokes the saved token on the tracker and removes it from the config.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args.parse(argv, Set.of("tracker"), Set.of("debug", "quiet"));
        NodeConfig config = env.config();
        if (!config.loggedIn()) {
            env.out().println("not logged in");
            return 0;
        }
        // The token belongs to the tracker it was issued by, whatever --tracker says.
        try (ApiClient client = new ApiClient(config.trackerUrl(), config.token())) {
            client.logout();
        } catch (TrackerApiException e) {
            // An expired token or an unreachable tracker must not keep the user logged in here.
            Log.warn("the tracker did not confirm the logout: " + e.getMessage());
        }
        config.withoutLogin().save(env.configDir());
        env.out().println("logged out" + (config.username() == null ? "" : " " + config.username()));
        return 0;
    }
}
