package simplebt.node;

import java.util.List;
import java.util.Set;

import com.google.gson.GsonBuilder;

import simplebt.cli.Args;
import simplebt.cli.Table;
import simplebt.cli.Units;
import simplebt.trackerclient.ApiClient;
import simplebt.trackerclient.ApiRecords;
import simplebt.log.TerminalText;

/** {@code node list}: the tracker's torrents as a table (or JSON). */
final class ListCommand implements Command {
    private final AccountEnv env;

    ListCommand() {
        this(AccountEnv.system());
    }

    ListCommand(AccountEnv env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "list";
    }

    @Override
    public String summary() {
        return "list the tracker's torrents";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar list [--json] [--tracker URL]

                Shows No., Name, Size, Uploaded by, Date, Seeders, Leechers, Completed.
                --json prints the tracker's records (with info hashes) for scripts.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("tracker"), Set.of("json", "debug", "quiet"));
        List<ApiRecords.Torrent> torrents;
        try (ApiClient client = AccountEnv.client(args, env.config())) {
            torrents = client.list();
        }
        if (args.flag("json")) {
            env.out().println(TerminalText.json(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(torrents)));
            return 0;
        }
        if (torrents.isEmpty()) {
            env.out().println("no torrents on this tracker yet");
            return 0;
        }
        env.out().print(table(torrents));
        return 0;
    }

    static String table(List<ApiRecords.Torrent> torrents) {
        Table table = new Table("No.", "Name", "Size", "Uploaded by", "Date", "Seeders", "Leechers", "Completed");
        int n = 1;
        for (ApiRecords.Torrent t : torrents) {
            table.row(n++, t.name(), Units.bytes(t.size()), t.uploader(), DateText.of(t.uploadedAt()),
                    t.seeders(), t.leechers(), t.completed());
        }
        return table.render();
    }
}
