package simplebt.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import simplebt.cli.Table;
import simplebt.cli.Units;
import simplebt.magnet.MagnetException;
import simplebt.magnet.MagnetLink;
import simplebt.magnet.MagnetResolver;
import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;
import simplebt.storage.AtomicFiles;
import simplebt.storage.FileSelection;
import simplebt.storage.ResumeFile;
import simplebt.storage.SafePaths;
import simplebt.swarm.SessionOptions;
import simplebt.trackerclient.ApiRecords;

/**
 * Download from the menu: the tracker's table, pick one (or paste a magnet link), then add it to the node's session host
 * and return to the menu while it downloads (Transfers shows it; it seeds once complete).
 */
final class DownloadFlow {

    private final MenuContext ctx;

    DownloadFlow(MenuContext ctx) {
        this.ctx = ctx;
    }

    void run() throws IOException, InterruptedException {
        List<ApiRecords.Torrent> torrents = ctx.api().list();
        if (torrents.isEmpty()) {
            ctx.say("No torrents on the tracker yet.");
            return;
        }
        ctx.say("");
        ctx.prompt().out().print(ListCommand.table(torrents));
        Object picked = pick(torrents);
        Metainfo meta;
        if (picked instanceof MagnetLink link) {
            ctx.say("Getting the torrent's metadata from the swarm (up to 2 minutes)...");
            try {
                meta = ctx.fetchMetadata(link, Duration.ofMinutes(2));
            } catch (IOException e) {
                ctx.say("Could not start the magnet link: " + e.getMessage());
                return;
            }
        } else if (picked instanceof ApiRecords.Torrent t
                && ctx.prompt().confirm("Download " + t.name() + " (" + Units.bytes(t.size()) + ")?", true)) {
            try {
                meta = Metainfo.parse(ctx.api().downloadTorrent(t.infoHash()));
            } catch (MetainfoException e) {
                throw new IOException("the tracker sent a bad torrent: " + e.getMessage(), e);
            }
        } else {
            return;
        }
        if (ctx.inTransfers(meta)) {
            ctx.say(meta.info().name() + " is in Transfers already."); // before the question below could delete its files
            return;
        }
        AtomicFiles.write(ctx.torrentsDir().resolve(picked instanceof MagnetLink
                ? MagnetResolver.fileName(meta) : meta.info().name() + ".torrent"), meta.raw());
        FileSelection selection = new FilePicker(ctx.prompt()).ask(meta.info());
        Path out = Path.of(ctx.config().downloadDir());
        Files.createDirectories(out);
        if (!existing(out, meta.info()).isEmpty()
                && !ctx.prompt().confirm("Part of " + meta.info().name() + " is already in " + out + ". Resume it?", true)) {
            discard(out, meta);
        }
        SessionOptions options = ctx.sessionOptions(out).withSelection(selection);
        if (picked instanceof MagnetLink link) {
            options = options.withPeers(link.literalPeers()); // a link without trackers has only these
        }
        if (ctx.addTransfer(meta, options)) {
            ctx.say("Downloading " + meta.info().name() + " into " + out + "; Transfers shows its progress.");
        }
    }

    /** The current user's uploads with live stats. */
    void showMine() throws IOException, InterruptedException {
        String me = ctx.config().username();
        List<ApiRecords.Torrent> mine = ctx.api().list().stream().filter(t -> t.uploader().equals(me)).toList();
        if (mine.isEmpty()) {
            ctx.say("You have not uploaded any torrents yet.");
            return;
        }
        Table table = new Table("No.", "Name", "Size", "Date", "Seeders", "Leechers", "Completed");
        int n = 1;
        for (ApiRecords.Torrent t : mine) {
            table.row(n++, t.name(), Units.bytes(t.size()), DateText.of(t.uploadedAt()), t.seeders(), t.leechers(), t.completed());
        }
        ctx.say("");
        ctx.prompt().out().print(table.render());
    }

    /** A row of the table (ApiRecords.Torrent), a pasted magnet link (MagnetLink), or null to go back. */
    private Object pick(List<ApiRecords.Torrent> torrents) throws IOException {
        while (true) {
            String answer = ctx.prompt().ask("Number to download, or paste a magnet link (empty to go back)");
            if (answer.isEmpty()) {
                return null;
            }
            if (MagnetLink.looksLikeOne(answer)) {
                try {
                    return MagnetLink.parse(answer);
                } catch (MagnetException e) {
                    ctx.say(e.getMessage());
                    continue;
                }
            }
            try {
                int n = Integer.parseInt(answer);
                if (n >= 1 && n <= torrents.size()) {
                    return torrents.get(n - 1);
                }
            } catch (NumberFormatException e) {
                // fall through to the retry message
            }
            ctx.say("Please type a number from 1 to " + torrents.size() + " or paste a magnet link.");
        }
    }

    private static List<Path> existing(Path out, Info info) throws IOException {
        List<Path> found = new ArrayList<>();
        for (FileEntry f : info.files()) {
            if (f.padding()) {
                continue; // never ours on disk (BEP 47): a file there by that name is not ours to delete
            }
            Path p = SafePaths.resolve(out, info.relativePath(f));
            if (Files.exists(p)) {
                found.add(p);
            }
        }
        return found;
    }

    /** Starting over: remove this torrent's partial files (only those) and its resume data. */
    private void discard(Path out, Metainfo meta) throws IOException {
        for (Path p : existing(out, meta.info())) {
            Files.delete(p);
        }
        new ResumeFile(out, meta.infoHash()).delete();
        ctx.say("Starting over.");
    }
}
