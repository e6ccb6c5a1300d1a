package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import simplebt.library.TorrentLibrary;
import simplebt.metainfo.Metainfo;

/** `node torrents`: each state read from the resume files, as a table and as stable JSON. */
class TorrentsCommandTest {
    @TempDir
    Path tmp;

    private String run(Path config, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new TorrentsCommand(config, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of(args));
        assertThat(code).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsEachStateFromTheResumeFilesWithoutHashing() throws Exception {
        LibraryFixture fx = new LibraryFixture(tmp.resolve("config"));
        Path data = tmp.resolve("data");
        Metainfo seeding = LibraryFixture.file(data, "seeding.bin", 40000);   // 3 pieces, all vouched for
        Metainfo half = LibraryFixture.file(data, "half.bin", 65536);         // 4 pieces, 2 vouched for
        Metainfo checking = LibraryFixture.file(data, "checking.bin", 1000);  // data, no resume file
        Metainfo fresh = LibraryFixture.file(tmp.resolve("unused"), "fresh.bin", 1000);
        Metainfo gone = LibraryFixture.file(tmp.resolve("gone"), "gone.bin", 1000);
        Metainfo paused = LibraryFixture.folder(data, "paused");
        LibraryFixture.resume(data, seeding, 3);
        LibraryFixture.resume(data, half, 2);
        LibraryFixture.resume(data, paused, 99);
        for (Metainfo m : List.of(seeding, half, checking, paused)) {
            fx.library.add(m, data);
        }
        fx.library.add(fresh, tmp.resolve("empty"));
        Files.createDirectories(tmp.resolve("empty"));
        fx.library.add(gone, tmp.resolve("gone"));
        LibraryFixture.resume(tmp.resolve("gone"), gone, 1);
        Files.delete(tmp.resolve("gone/gone.bin"));
        fx.library.setPaused(paused.infoHash(), true);
        // a download in progress writes pieces after each resume save: its stamps no longer match
        Files.setLastModifiedTime(data.resolve("half.bin"), java.nio.file.attribute.FileTime.fromMillis(12345));
        fx.library.addTotals(Map.of(seeding.infoHash(), new TorrentLibrary.Transferred(80000, 0),
                half.infoHash(), new TorrentLibrary.Transferred(8192, 32768)));

        JsonArray list = JsonParser.parseString(run(fx.config, "--json")).getAsJsonArray();
        assertThat(list).hasSize(6);
        JsonObject first = list.get(0).getAsJsonObject();
        assertThat(first.keySet()).containsExactly("infoHash", "name", "state", "progress", "piecesDone", "pieceCount",
                "bytesDone", "size", "uploaded", "downloaded", "ratio", "paused", "dataDir", "added");
        assertThat(first.get("infoHash").getAsString()).isEqualTo(seeding.infoHash().hex());
        assertThat(first.get("dataDir").getAsString()).isEqualTo(data.toAbsolutePath().toString());
        assertThat(first.get("ratio").getAsDouble()).isEqualTo(2.0); // 80000 sent, nothing received: over the size
        assertThat(list.asList()).extracting(e -> e.getAsJsonObject().get("name").getAsString() + " "
                        + e.getAsJsonObject().get("state").getAsString() + " " + e.getAsJsonObject().get("progress").getAsString()
                        + " " + e.getAsJsonObject().get("piecesDone").getAsString() + "/" + e.getAsJsonObject().get("pieceCount").getAsString())
                .containsExactly(
                        "seeding.bin seeding 1.0 3/3",
                        "half.bin downloading 0.5 2/4",
                        "checking.bin checking 0.0 0/1",
                        "paused paused 1.0 4/4",
                        "fresh.bin downloading 0.0 0/1",
                        "gone.bin missing data 0.0 0/1");
        assertThat(list.get(1).getAsJsonObject().get("ratio").getAsDouble()).isEqualTo(0.25);
        assertThat(list.get(1).getAsJsonObject().get("bytesDone").getAsLong()).isEqualTo(32768);

        String table = run(fx.config);
        assertThat(table.lines().toList()).hasSize(8);
        assertThat(table.lines().findFirst().orElseThrow())
                .matches("No\\. +Name +Size +Progress +Ratio +State +Info hash +Data folder");
        assertThat(table).containsPattern("2 +half\\.bin +64\\.0 KiB +50\\.0% +0\\.25 +downloading +" + half.infoHash().hex());
        assertThat(table).containsPattern("6 +gone\\.bin .* +missing data ");
    }

    @Test
    void aMissingTorrentCopyIsOneRowAndOneWarning() throws Exception {
        LibraryFixture fx = new LibraryFixture(tmp.resolve("config"));
        Metainfo a = LibraryFixture.file(tmp.resolve("data"), "a.bin", 1000);
        Metainfo b = LibraryFixture.file(tmp.resolve("data"), "b.bin", 1000);
        fx.library.add(a, tmp.resolve("data"));
        fx.library.add(b, tmp.resolve("data"));
        Files.delete(fx.library.torrentFile(a.infoHash()));
        JsonArray list = JsonParser.parseString(run(fx.config, "--json")).getAsJsonArray();
        assertThat(list.asList()).extracting(e -> e.getAsJsonObject().get("state").getAsString())
                .containsExactly("missing .torrent", "checking");
    }

    @Test
    void noTorrentsSaysSo() throws Exception {
        assertThat(run(tmp.resolve("none"))).isEqualTo("no torrents remembered yet; `seed` and `download` add theirs\n");
        assertThat(run(tmp.resolve("none"), "--json").strip()).isEqualTo("[]");
    }
}
