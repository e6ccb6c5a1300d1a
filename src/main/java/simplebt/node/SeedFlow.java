package simplebt.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import simplebt.cli.ProgressBar;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;
import simplebt.metainfo.TorrentBuilder;
import simplebt.storage.AtomicFiles;
import simplebt.trackerclient.ApiClient;
import simplebt.trackerclient.ApiRecords;
import simplebt.trackerclient.TrackerApiException;

/**
 * Seed from the menu: ask for a path, hash it into a private torrent, upload it, save the
 * tracker's copy (announce URL with our passkey) under torrents/, then add it to the node's
 * session host and return to the menu while it seeds (Transfers shows it).
 */
final class SeedFlow {
    private final MenuContext ctx;

    SeedFlow(MenuContext ctx) {
        this.ctx = ctx;
    }

    void run() throws IOException, InterruptedException {
        Path source = askPath();
        if (source == null) {
            return;
        }
        ApiClient api = ctx.api();
        ApiRecords.Me me = api.me();
        ProgressBar bar = new ProgressBar("hashing", sizeOf(source), ctx.prompt().out(), ctx.prompt().terminal(), false);
        byte[] built = new TorrentBuilder(source).tracker(me.announceUrl()).isPrivate(true).build(bar::update);
        Metainfo meta = parse(built);
        bar.finish(meta.info().totalLength(), "");
        try {
            api.upload(built);
            ctx.say("Uploaded " + meta.info().name() + " (info hash " + meta.infoHash().hex() + ").");
        } catch (TrackerApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            ctx.say("The tracker already has this torrent; seeding it.");
        }
        // The tracker's copy carries our passkey in its announce URL.
        Metainfo stamped = parse(api.downloadTorrent(meta.infoHash().hex()));
        Path saved = ctx.torrentsDir().resolve(meta.info().name() + ".torrent");
        AtomicFiles.write(saved, stamped.raw());
        ctx.say("Saved " + saved + ".");
        Path dataDir = source.toAbsolutePath().normalize().getParent();
        if (ctx.addTransfer(stamped, ctx.sessionOptions(dataDir))) {
            ctx.say("Seeding " + meta.info().name() + "; Transfers shows it.");
        }
    }

    /** Asks until the path exists; an empty answer goes back to the menu (null). */
    private Path askPath() throws IOException {
        while (true) {
            String answer = ctx.prompt().ask("Path of the file or folder to seed (empty to go back)");
            if (answer.isEmpty()) {
                return null;
            }
            Path p = Path.of(answer.startsWith("~/") ? System.getProperty("user.home") + answer.substring(1) : answer);
            if (Files.isRegularFile(p) || Files.isDirectory(p)) {
                return p;
            }
            ctx.say("No such file or folder: " + answer + " (try again)");
        }
    }

    private static Metainfo parse(byte[] torrent) throws IOException {
        try {
            return Metainfo.parse(torrent);
        } catch (MetainfoException e) {
            throw new IOException("bad torrent: " + e.getMessage(), e);
        }
    }

    static long sizeOf(Path source) throws IOException {
        if (Files.isRegularFile(source)) {
            return Files.size(source);
        }
        try (var files = Files.walk(source)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
