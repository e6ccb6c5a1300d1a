package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.InfoHash;

class StoreTest {
    @TempDir
    Path dir;

    @Test
    void torrentFilesAreNamedByInfoHashOnly() throws Exception {
        Store store = new Store(dir);
        String hex = "ab".repeat(20);
        TorrentEntry e = new TorrentEntry(hex, "../../etc/passwd", 1, 1, 16384, false, "alice", 0, "00".repeat(32), 0, null);
        store.saveTorrent(e, new byte[] {1, 2, 3});
        try (var files = Files.list(dir.resolve("torrents"))) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly(hex + ".json", hex + ".torrent");
        }
        assertThat(store.torrentFile(InfoHash.fromHex(hex))).containsExactly(1, 2, 3);
        assertThat(new Store(dir).loadTorrents()).containsExactly(e);
    }

    @Test
    void leftoverTempFilesFromAKillAreRemovedAndIgnored() throws Exception {
        Files.createDirectories(dir.resolve("torrents"));
        Files.writeString(dir.resolve(".accounts.json123.tmp"), "[{\"username\":\"half");
        Files.writeString(dir.resolve("torrents/." + "cd".repeat(20) + ".json9.tmp"), "{");
        Store store = new Store(dir);
        assertThat(store.loadAccounts()).isEmpty();
        assertThat(store.loadTorrents()).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("torrents");
        }
    }

    @Test
    void corruptDataIsAClearStartupError() throws Exception {
        Files.writeString(dir.resolve("accounts.json"), "{not json");
        assertThatThrownBy(() -> new Store(dir).loadAccounts()).hasMessageContaining("corrupt data file");
    }

    @Test
    void sessionsRoundTrip() throws Exception {
        Store store = new Store(dir);
        store.saveSessions(List.of(new Store.SessionRecord("h", "alice", 5, 1)));
        assertThat(new Store(dir).loadSessions()).containsExactly(new Store.SessionRecord("h", "alice", 5, 1));
    }
}
