package simplebt.node;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.GsonBuilder;

import simplebt.cli.Args;
import simplebt.cli.Table;
import simplebt.cli.Units;
import simplebt.cli.UsageException;
import simplebt.magnet.MagnetLink;
import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.metainfo.Metainfo;
import simplebt.log.TerminalText;

/** {@code node info FILE.torrent}: what a torrent holds, for people or (--json) scripts. */
final class InfoCommand implements Command {

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "show what a .torrent holds";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar info FILE.torrent [--json | --magnet]

                Prints name, info hash, size, piece length and count, private flag,
                trackers and the file list. --json prints the same as JSON. --magnet prints
                the torrent's magnet link (info hash, name and every tracker).
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of(), Set.of("json", "magnet", "debug", "quiet"));
        if (args.positional().size() != 1) {
            throw new UsageException("info needs exactly one FILE.torrent");
        }
        Metainfo meta = Metainfo.read(Path.of(args.positional().get(0)));
        if (args.flag("json") && args.flag("magnet")) {
            throw new UsageException("info takes --json or --magnet, not both");
        }
        // the link is percent-encoded ASCII: nothing in it can reach the terminal as a control character
        System.out.print(args.flag("magnet") ? MagnetLink.of(meta).toUri() + "\n" : args.flag("json") ? json(meta) : text(meta));
        return 0;
    }

    static String text(Metainfo meta) {
        Info info = meta.info();
        StringBuilder sb = new StringBuilder();
        sb.append("name:         ").append(TerminalText.safe(info.name())).append('\n');
        sb.append("info hash:    ").append(meta.infoHash().hex()).append('\n');
        sb.append("size:         ").append(Units.bytes(info.totalLength())).append(" (").append(info.totalLength()).append(" bytes)\n");
        sb.append("pieces:       ").append(info.pieceCount()).append(" x ").append(Units.bytes(info.pieceLength())).append('\n');
        sb.append("private:      ").append(info.isPrivate() ? "yes" : "no").append('\n');
        List<String> trackers = meta.trackers();
        sb.append("trackers:     ").append(trackers.isEmpty() ? "(none)" : TerminalText.safe(String.join(", ", trackers))).append('\n');
        meta.comment().ifPresent(c -> sb.append("comment:      ").append(TerminalText.safe(c)).append('\n'));
        meta.createdBy().ifPresent(c -> sb.append("created by:   ").append(TerminalText.safe(c)).append('\n'));
        meta.creationDate().ifPresent(d -> sb.append("created:      ").append(DateText.of(d)).append('\n'));
        sb.append('\n');
        Table table = new Table("No.", "Path", "Size");
        int n = 1;
        for (FileEntry f : info.files()) {
            if (!f.padding()) { // BEP 47 padding is not a file the user gets
                table.row(n++, String.join("/", info.relativePath(f)), Units.bytes(f.length()));
            }
        }
        sb.append(table.render());
        return sb.toString();
    }

    static String json(Metainfo meta) {
        Info info = meta.info();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", info.name());
        out.put("infoHash", meta.infoHash().hex());
        out.put("totalLength", info.totalLength());
        out.put("pieceLength", info.pieceLength());
        out.put("pieceCount", info.pieceCount());
        out.put("private", info.isPrivate());
        out.put("trackers", meta.trackers());
        meta.comment().ifPresent(c -> out.put("comment", c));
        meta.createdBy().ifPresent(c -> out.put("createdBy", c));
        meta.creationDate().ifPresent(d -> out.put("creationDate", d.getEpochSecond()));
        out.put("files", info.files().stream().map(f -> f.padding()
                ? Map.of("path", String.join("/", info.relativePath(f)), "length", f.length(), "padding", true)
                : Map.of("path", String.join("/", info.relativePath(f)), "length", f.length())).toList());
        return TerminalText.json(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(out)) + "\n";
    }
}
