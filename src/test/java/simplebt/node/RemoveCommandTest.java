package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.cli.UsageException;
import simplebt.metainfo.Metainfo;
import simplebt.storage.ResumeFile;

/** `node remove`: forgets a torrent; with --delete-data deletes its files and nothing else. */
class RemoveCommandTest {
    @TempDir
    Path tmp;

    private String remove(LibraryFixture fx, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new RemoveCommand(fx.config, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of(args));
        assertThat(code).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void forgettingKeepsTheDataButDropsTheResumeFile() throws Exception {
        LibraryFixture fx = new LibraryFixture(tmp.resolve("config"));
        Path data = tmp.resolve("data");
        Metainfo a = LibraryFixture.file(data, "a.bin", 40000);
        Metainfo b = LibraryFixture.file(data, "b.bin", 1000);
        LibraryFixture.resume(data, a, 3);
        LibraryFixture.resume(data, b, 1);
        fx.library.add(a, data);
        fx.library.add(b, data);

        assertThat(remove(fx, a.infoHash().hex().toUpperCase())).startsWith("removed 'a.bin' (" + a.infoHash().hex() + "); its data stays in ");
        assertThat(fx.library.load().entries()).extracting(e -> e.name()).containsExactly("b.bin");
        assertThat(fx.library.torrentFile(a.infoHash())).doesNotExist();
        assertThat(data.resolve("a.bin")).hasSize(40000);
        assertThat(new ResumeFile(data, a.infoHash()).path()).doesNotExist();
        assertThat(new ResumeFile(data, b.infoHash()).path()).exists();
    }

    @Test
    void deleteDataRemovesTheTorrentsFilesAndTheFoldersItLeavesEmpty() throws Exception {
        LibraryFixture fx = new LibraryFixture(tmp.resolve("config"));
        Path data = tmp.resolve("data");
        Metainfo folder = LibraryFixture.folder(data, "album");
        Metainfo neighbour = LibraryFixture.file(data, "neighbour.bin", 1000);
        LibraryFixture.resume(data, folder, 99);
        fx.library.add(folder, data);
        fx.library.add(neighbour, data);
        Files.writeString(data.resolve("album/a/notes.txt"), "mine, not the torrent's");

        String said = remove(fx, folder.infoHash().hex(), "--delete-data");

        assertThat(said).contains("deleted 3 files and 1 folder from " + data.toAbsolutePath());
        assertThat(data.resolve("album/a/b")).doesNotExist();          // emptied: gone
        assertThat(data.resolve("album/a/one.bin")).doesNotExist();
        assertThat(data.resolve("album/three.bin")).doesNotExist();
        assertThat(data.resolve("album/a/notes.txt")).hasContent("mine, not the torrent's"); // and its folders stay
        assertThat(data.resolve("neighbour.bin")).exists();
        assertThat(data.resolve(ResumeFile.DIR)).doesNotExist();        // it held only this torrent's file
        assertThat(data).isDirectory();
        assertThat(fx.library.load().entries()).extracting(e -> e.name()).containsExactly("neighbour.bin");
    }

    @Test
    void deleteDataNeverFollowsALinkOutOfTheDataFolder() throws Exception {
        LibraryFixture fx = new LibraryFixture(tmp.resolve("config"));
        Path data = tmp.resolve("data");
        Path outside = tmp.resolve("outside");
        Metainfo single = LibraryFixture.file(data, "single.bin", 1000);
        Metainfo folder = LibraryFixture.folder(data, "album");
        fx.library.add(single, data);
        fx.library.add(folder, data);
        // The hostile state: each of the torrent's names in the data folder is a link to files elsewhere,
        // with the same layout, and the entry's own name in the list tries a traversal too.
        Files.createDirectories(outside.resolve("album/a/b"));
        Files.move(data.resolve("single.bin"), outside.resolve("single.bin"));
        Files.createSymbolicLink(data.resolve("single.bin"), outside.resolve("single.bin"));
        for (String f : List.of("a/one.bin", "a/b/two.bin", "three.bin")) {
            Files.move(data.resolve("album").resolve(f), outside.resolve("album").resolve(f));
        }
        Files.walk(data.resolve("album")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.createSymbolicLink(data.resolve("album"), outside.resolve("album"));
        Files.createDirectories(outside.resolve("empty-resume"));
        Files.createSymbolicLink(data.resolve(ResumeFile.DIR), outside.resolve("empty-resume"));
        Path list = fx.config.resolve("torrents.json");
        Files.writeString(list, Files.readString(list).replace("\"name\": \"album\"", "\"name\": \"../../outside\""));

        String one = remove(fx, single.infoHash().hex(), "--delete-data");
        String two = remove(fx, folder.infoHash().hex(), "--delete-data");

        assertThat(one).contains("deleted 0 files and 0 folders");
        assertThat(two).contains("deleted 0 files and 0 folders");
        assertThat(outside.resolve("single.bin")).hasSize(1000);
        assertThat(outside.resolve("album/a/one.bin")).hasSize(20000);
        assertThat(outside.resolve("album/a/b/two.bin")).hasSize(30000);
        assertThat(outside.resolve("album/three.bin")).hasSize(5000);
        assertThat(outside.resolve("album/a/b")).isDirectory();
        assertThat(outside.resolve("empty-resume")).isDirectory();
        assertThat(fx.library.load().entries()).isEmpty();
    }

    @Test
    void aTorrentCopySwappedForAnotherTorrentDeletesNothing() throws Exception {
        LibraryFixture fx = new LibraryFixture(tmp.resolve("config"));
        Path data = tmp.resolve("data");
        Metainfo mine = LibraryFixture.file(data, "mine.bin", 1000);
        Metainfo other = LibraryFixture.file(data, "other.bin", 1000);
        fx.library.add(mine, data);
        Files.write(fx.library.torrentFile(mine.infoHash()), other.raw());

        assertThatThrownBy(() -> remove(fx, mine.infoHash().hex(), "--delete-data"))
                .hasMessageContaining("holds torrent " + other.infoHash().hex());
        assertThat(data.resolve("other.bin")).exists();
        assertThat(data.resolve("mine.bin")).exists();
        assertThat(fx.library.load().entries()).hasSize(1); // still there: fix the copy or remove without --delete-data
    }

    @Test
    void anUnknownHashIsOneClearError() throws Exception {
        LibraryFixture fx = new LibraryFixture(tmp.resolve("config"));
        assertThatThrownBy(() -> remove(fx, "00".repeat(20)))
                .hasMessage("no remembered torrent has info hash " + "00".repeat(20) + " (see: node torrents)");
        assertThatThrownBy(() -> remove(fx, "nothex"))
                .isInstanceOf(UsageException.class).hasMessageContaining("is not an info hash (40 hex digits)");
    }
}
