package simplebt.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.metainfo.Metainfo;
import simplebt.trackerclient.ApiClient;
import simplebt.trackerclient.ApiRecords;
import simplebt.log.TerminalText;

/** {@code node upload FILE.torrent}: register a torrent with the tracker. */
final class UploadCommand implements Command {
    private final AccountEnv env;

    UploadCommand() {
        this(AccountEnv.system());
    }

    UploadCommand(AccountEnv env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "upload";
    }

    @Override
    public String summary() {
        return "register a .torrent with the tracker";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar upload FILE.torrent [--tracker URL]

                Sends the .torrent to the tracker (you must be logged in). The tracker checks
                it, computes the info hash and lists it; fetch your passkey copy from it to seed.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("tracker"), Set.of("debug", "quiet"));
        if (args.positional().size() != 1) {
            throw new UsageException("upload needs exactly one FILE.torrent");
        }
        Path file = Path.of(args.positional().get(0));
        Metainfo.read(file);   // a clear local error beats a round trip for a broken file
        ApiRecords.Torrent t;
        try (ApiClient client = AccountEnv.loggedInClient(args, env.config())) {
            t = client.upload(Files.readAllBytes(file));
        }
        env.out().println("uploaded " + TerminalText.safe(t.name()) + " (" + t.infoHash() + ")");
        return 0;
    }
}
