package simplebt.node;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

import simplebt.cli.Args;
import simplebt.log.Log;
import simplebt.cli.ProgressBar;
import simplebt.cli.Terminal;
import simplebt.cli.UsageException;
import simplebt.metainfo.TorrentBuilder;
import simplebt.storage.AtomicFiles;

/** {@code node create PATH}: hashes a file or folder into a .torrent. */
final class CreateCommand implements Command {
    @Override
    public String name() {
        return "create";
    }

    @Override
    public String summary() {
        return "make a .torrent from a file or folder";
    }

    @Override
    public String usage() {
        return """
                usage: java -jar node.jar create PATH [options]

                Hashes PATH (a file or a folder) and writes a .torrent, by default
                torrents/<name>.torrent. Prints the info hash.

                  -o, --output FILE       where to write the .torrent
                  --tracker URL           announce URL (repeat for backups, BEP 12)
                  --piece-length BYTES    e.g. 262144, 256k, 1m (default: automatic, 16 KiB..16 MiB)
                  --private               set the private flag (no DHT/PEX in other clients)
                  --comment TEXT          free text shown by clients
                  --force                 overwrite an existing output file
                  --threads N             hashing threads (default: one per core, at most 4)
                Hidden files (names starting with '.') and symbolic links are left out.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        TorrentBuilder.prepareDigest(); // overlaps the JDK's provider set-up with what follows
        Args args = Args.parse(argv, Set.of("o", "output", "tracker", "piece-length", "comment", "threads"),
                Set.of("private", "force", "debug", "quiet"));
        if (args.positional().size() != 1) {
            throw new UsageException("create needs exactly one PATH");
        }
        Path source = Path.of(args.positional().get(0));
        if (!Files.exists(source)) {
            throw new IOException(source + ": no such file or folder");
        }
        TorrentBuilder builder = new TorrentBuilder(source);
        // Loops and ifs rather than lambdas on this path: each lambda costs a cold JVM class
        // spinning before hashing starts (bench/create/NOTES.md).
        for (String tracker : args.values("tracker")) {
            builder.tracker(tracker);
        }
        builder.isPrivate(args.flag("private"));
        if (args.value("comment").isPresent()) {
            builder.comment(args.value("comment").get());
        }
        if (args.value("threads").isPresent()) {
            builder.threads(args.intValue("threads", 2, 1, 64));
        }
        if (args.value("piece-length").isPresent()) {
            long pl = Args.parseSize(args.value("piece-length").get());
            if (pl < 16 << 10 || pl > 64 << 20 || Long.bitCount(pl) != 1) {
                throw new UsageException("--piece-length must be a power of two from 16 KiB to 64 MiB");
            }
            builder.pieceLength((int) pl);
        }
        // Scanning first also rejects an empty folder or "/" with a clear line, before any output.
        long total = builder.totalLength();
        String name = source.toAbsolutePath().normalize().getFileName().toString();
        Path output = Path.of(args.value("output").isPresent() ? args.value("output").get()
                : args.value("o").isPresent() ? args.value("o").get() : "torrents/" + name + ".torrent");
        if (Files.exists(output) && !args.flag("force")) {
            throw new FileAlreadyExistsException(output.toString(), null, "already exists (use --force to overwrite)");
        }
        // Quiet (scripts, the benchmark): no terminal check, which reads the environment.
        ProgressBar bar = new ProgressBar("hashing", total, System.out, !Log.isQuiet() && Terminal.isInteractive(), Log.isQuiet());
        long start = System.nanoTime();
        // The output's folder and temp file are made while the hashing threads wait for the
        // SHA-1 provider: an output that cannot be written fails at once, not after all the
        // content was hashed, and their set-up (~5-10 ms: class loading, a SecureRandom for the
        // temp name) is not between the last piece and the written file (bench/create/NOTES.md).
        OutputFile file = new OutputFile(output);
        TorrentBuilder.Created torrent;
        try {
            torrent = builder.create(new LongConsumer() { // a class, not a lambda: see above
                @Override
                public void accept(long hashed) {
                    bar.update(hashed);
                }
            }, file);
            bar.finish(total, "");
            file.replacement.commit(torrent.bytes());
        } finally {
            file.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (Log.isDebug()) { // String.format loads the locale machinery: ~20 ms of start-up
            Log.debug(String.format("hashed %d bytes in %.3f s", total, seconds));
        }
        if (!Log.isQuiet()) { // the line is not built either: each concatenation costs a cold JVM
            Log.info("created " + output + " (" + torrent.pieceCount() + " pieces of " + torrent.pieceLength() + " bytes)");
        }
        System.out.print("info hash: ");
        System.out.println(torrent.infoHash().hex());
        return 0;
    }

    /** The .torrent being written: begun while hashing starts, committed after. Main thread only. */
    private static final class OutputFile implements TorrentBuilder.Meanwhile {
        private final Path output;
        private AtomicFiles.Replacement replacement;

        OutputFile(Path output) {
            this.output = output;
        }

        @Override
        public void run() throws IOException {
            replacement = AtomicFiles.begin(output);
        }

        /** Removes the temp file if it was begun and not committed. */
        void close() throws IOException {
            if (replacement != null) {
                replacement.close();
            }
        }
    }
}
