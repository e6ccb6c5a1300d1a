package simplebt.node;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.library.LibraryEntry;
import simplebt.library.TorrentLibrary;
import simplebt.log.Log;
import simplebt.log.TerminalText;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;
import simplebt.storage.DataRemover;

/** {@code node remove INFOHASH [--delete-data]}: forget a torrent, and with the flag its files. */
final class RemoveCommand implements Command {
    private final Path configDir;
    private final PrintStream out;

    RemoveCommand() {
        this(NodeConfig.defaultDir(), System.out);
    }

    RemoveCommand(Path configDir, PrintStream out) {
        this.configDir = configDir;
        this.out = out;
    }

    @Override
    public String name() {
        return "remove";
    }

    @Override
    public String summary() {
        return "forget a remembered torrent (and, with --delete-data, its files)";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar remove INFOHASH [--delete-data]

                Forgets the torrent (see `node torrents` for info hashes): its saved .torrent
                and its resume file go; its data stays. With --delete-data, also deletes the
                torrent's own files in its data folder and the folders they were in if that
                leaves them empty; nothing else, and nothing reached through a symbolic link.
                A running `node serve` keeps the torrent until it is restarted.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of(), Set.of("delete-data", "debug", "quiet"));
        if (args.positional().size() != 1) {
            throw new UsageException("remove needs exactly one INFOHASH");
        }
        InfoHash hash;
        try {
            hash = InfoHash.fromHex(args.positional().get(0).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("'" + args.positional().get(0) + "' is not an info hash (40 hex digits)");
        }
        TorrentLibrary library = new TorrentLibrary(configDir);
        TorrentLibrary.Snapshot snapshot = library.load();
        snapshot.problems().forEach(Log::warn);
        Optional<LibraryEntry> found = snapshot.find(hash);
        if (found.isEmpty()) {
            throw new java.io.IOException("no remembered torrent has info hash " + hash.hex() + " (see: node torrents)");
        }
        LibraryEntry entry = found.get();
        String what = "'" + TerminalText.safe(entry.name()) + "' (" + hash.hex() + ")";
        if (args.flag("delete-data")) {
            // Needs the .torrent to know which files are the torrent's; fails before anything is forgotten.
            Metainfo meta = library.metainfo(entry);
            DataRemover.Removal removal = DataRemover.remove(entry.dataDir(), meta.info(), hash);
            removal.kept().forEach(Log::warn);
            library.remove(hash);
            out.println("removed " + what + "; deleted " + removal.files() + " file" + (removal.files() == 1 ? "" : "s")
                    + " and " + removal.folders() + " folder" + (removal.folders() == 1 ? "" : "s") + " from "
                    + TerminalText.safe(entry.dataDir().toString()));
        } else {
            DataRemover.removeResume(entry.dataDir(), hash);
            library.remove(hash);
            out.println("removed " + what + "; its data stays in " + TerminalText.safe(entry.dataDir().toString()));
        }
        return 0;
    }
}
