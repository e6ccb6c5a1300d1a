package simplebt.node;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import simplebt.cli.Args;
import simplebt.cli.Table;
import simplebt.cli.Units;
import simplebt.library.LibraryEntry;
import simplebt.library.StoredProgress;
import simplebt.library.TorrentLibrary;
import simplebt.log.Log;
import simplebt.log.TerminalText;
import simplebt.metainfo.Metainfo;

/** {@code node torrents}: the torrents this node remembers, as a table or as JSON for scripts. */
final class TorrentsCommand implements Command {
    private final Path configDir;
    private final PrintStream out;

    TorrentsCommand() {
        this(NodeConfig.defaultDir(), System.out);
    }

    TorrentsCommand(Path configDir, PrintStream out) {
        this.configDir = configDir;
        this.out = out;
    }

    /** One remembered torrent with what its resume file says. */
    record Row(LibraryEntry entry, StoredProgress progress) {
        double ratio() {
            return entry.ratio(progress.size());
        }
    }

    @Override
    public String name() {
        return "torrents";
    }

    @Override
    public String summary() {
        return "list the torrents this node remembers (state, progress, ratio)";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar torrents [--json]

                Lists the torrents `seed`, `download` and the menu added, which `serve` runs:
                No., Name, Size, Progress, Ratio, State, Info hash, Data folder. State is
                downloading, seeding, paused, checking (files there, the next start hashes
                them), missing data or missing .torrent. Progress comes from each torrent's
                resume file (saved every few seconds while it runs); nothing is hashed.
                Ratio is uploaded / downloaded over every run (uploaded / size when nothing
                was downloaded). --json prints the same as a JSON array for scripts.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of(), Set.of("json", "debug", "quiet"));
        List<Row> rows = rows(new TorrentLibrary(configDir));
        if (args.flag("json")) {
            out.println(TerminalText.json(json(rows)));
        } else if (rows.isEmpty()) {
            out.println("no torrents remembered yet; `seed` and `download` add theirs");
        } else {
            out.print(table(rows));
        }
        return 0;
    }

    /** Every entry with its progress; problems with the list go to stderr, one line each. */
    static List<Row> rows(TorrentLibrary library) throws Exception {
        TorrentLibrary.Snapshot snapshot = library.load();
        snapshot.problems().forEach(Log::warn);
        List<Row> rows = new ArrayList<>();
        for (LibraryEntry e : snapshot.entries()) {
            StoredProgress progress;
            try {
                Metainfo meta = library.metainfo(e);
                progress = StoredProgress.of(e, meta);
            } catch (Exception failure) {
                progress = StoredProgress.missingTorrent(); // already named in the problems above
            }
            rows.add(new Row(e, progress));
        }
        return rows;
    }

    static String table(List<Row> rows) {
        Table table = new Table("No.", "Name", "Size", "Progress", "Ratio", "State", "Info hash", "Data folder");
        int n = 1;
        for (Row r : rows) {
            StoredProgress p = r.progress();
            table.row(n++, r.entry().name(), p.pieceCount() == 0 ? "?" : Units.bytes(p.size()),
                    Units.oneDecimal(100 * p.fraction()) + "%", String.format("%.2f", r.ratio()), p.state().label(),
                    r.entry().infoHash().hex(), r.entry().dataDir());
        }
        return table.render();
    }

    /** Stable keys in a fixed order; fractions rounded so unchanged state prints unchanged text. */
    static String json(List<Row> rows) {
        JsonArray list = new JsonArray();
        for (Row r : rows) {
            LibraryEntry e = r.entry();
            StoredProgress p = r.progress();
            JsonObject o = new JsonObject();
            o.addProperty("infoHash", e.infoHash().hex());
            o.addProperty("name", e.name());
            o.addProperty("state", p.state().label());
            o.addProperty("progress", round(p.fraction()));
            o.addProperty("piecesDone", p.piecesDone());
            o.addProperty("pieceCount", p.pieceCount());
            o.addProperty("bytesDone", p.bytesDone());
            o.addProperty("size", p.size());
            o.addProperty("uploaded", e.uploaded());
            o.addProperty("downloaded", e.downloaded());
            o.addProperty("ratio", round(r.ratio()));
            o.addProperty("paused", e.paused());
            o.addProperty("dataDir", e.dataDir().toString());
            o.addProperty("added", e.added().toString());
            list.add(o);
        }
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(list);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
