package simplebt.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import simplebt.cli.Table;
import simplebt.cli.Units;
import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;
import simplebt.storage.AtomicFiles;
import simplebt.storage.FileSelection;
import simplebt.storage.ResumeFile;
import simplebt.storage.SafePaths;
import simplebt.trackerclient.ApiRecords;

/**
 * Download from the menu: the tracker's table, pick one, then add it to the node's session host
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
        ApiRecords.Torrent picked = pick(torrents);
        if (picked == null || !ctx.prompt().confirm("Download " + picked.name() + " (" + Units.bytes(picked.size()) + ")?", true)) {
            return;
        }
        Metainfo meta;
        try {
            meta = Metainfo.parse(ctx.api().downloadTorrent(picked.infoHash()));
        } catch (MetainfoException e) {
            throw new IOException("the tracker sent a bad torrent: " + e.getMessage(), e);
        }
        if (ctx.inTransfers(meta)) {
            ctx.say(meta.info().name() + " is in Transfers already."); // before the question below could delete its files
            return;
        }
        AtomicFiles.write(ctx.torrentsDir().resolve(meta.info().name() + ".torrent"), meta.raw());
        FileSelection selection = new FilePicker(ctx.prompt()).ask(meta.info());
        Path out = Path.of(ctx.config().downloadDir());
        Files.createDirectories(out);
        if (!existing(out, meta.info()).isEmpty()
                && !ctx.prompt().confirm("Part of " + meta.info().name() + " is already in " + out + ". Resume it?", true)) {
            discard(out, meta);
        }
        if (ctx.addTransfer(meta, ctx.sessionOptions(out).withSelection(selection))) {
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

    private ApiRecords.Torrent pick(List<ApiRecords.Torrent> torrents) throws IOException {
        OptionalInt n = ctx.prompt().askNumber("Number to download (empty to go back)", torrents.size());
        return n.isPresent() ? torrents.get(n.getAsInt()) : null;
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
