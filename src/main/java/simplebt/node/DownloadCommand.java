package simplebt.node;

import java.nio.file.Path;
import java.util.List;

import simplebt.cli.Args;
import simplebt.cli.Log;
import simplebt.cli.Units;
import simplebt.cli.UsageException;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionStatus;
import simplebt.swarm.TorrentSession;

/** {@code node download FILE.torrent}: fetch every piece, verify it, exit 0 (or keep seeding). */
final class DownloadCommand implements Command {
    @Override
    public String name() {
        return "download";
    }

    @Override
    public String summary() {
        return "download a torrent's data, then exit (or keep seeding)";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar download FILE.torrent [--out DIR] [--seed-after] [options]

                Downloads into DIR (default downloads/), resuming what is already there, and
                exits 0 once every piece has passed its SHA-1 check.

                  --out DIR            where the torrent's file or folder goes (default downloads)
                  --seed-after         keep seeding after the download until Ctrl-C
                """ + SessionArgs.HELP;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, SessionArgs.valued("out"), SessionArgs.flags("seed-after"));
        if (args.positional().size() != 1) {
            throw new UsageException("download needs exactly one FILE.torrent");
        }
        Metainfo meta = Metainfo.read(Path.of(args.positional().get(0)));
        Path out = Path.of(args.value("out").orElse("downloads"));
        SessionRunner runner = new SessionRunner(meta, SessionArgs.options(args, out));
        try {
            TorrentSession session = runner.start();
            long start = System.nanoTime();
            runner.showUntil("download", () -> session.status().complete(), false);
            SessionStatus s = session.status();
            double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            Log.info("done: " + meta.info().name() + " (" + Units.bytes(s.totalBytes()) + ") in "
                    + out.toAbsolutePath().normalize() + "; received " + Units.bytes(s.downloaded()) + " at "
                    + Units.rate(s.downloaded() / seconds));
            if (args.flag("seed-after")) {
                Log.info("seeding; press Ctrl-C to stop");
                runner.showUntil("seeding", () -> false, true);
            }
            return 0;
        } finally {
            runner.close();
        }
    }
}
