package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AtomicFiles: the target holds the old or the new bytes, and no temp file is left behind. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeReplacesTheTargetAndLeavesOnlyIt() throws Exception {
        Path target = tmp.resolve("out/x.torrent");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.write(target, "new".getBytes(StandardCharsets.US_ASCII));
        assertThat(target).hasContent("new");
        assertThat(listing(tmp.resolve("out"))).containsExactly("x.torrent");
    }

    @Test
    void aBegunReplacementHasItsTempFileBesideTheTargetUntilCommitted() throws Exception {
        Path target = tmp.resolve("x.torrent");
        Files.writeString(target, "old");
        try (AtomicFiles.Replacement r = AtomicFiles.begin(target)) {
            // hidden, beside the target, so the rename stays on one file system
            assertThat(listing(tmp)).hasSize(2).contains("x.torrent").anyMatch(n -> n.startsWith(".x.torrent"));
            assertThat(target).hasContent("old");
            r.commit("new".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(target).hasContent("new");
        assertThat(listing(tmp)).containsExactly("x.torrent");
    }

    @Test
    void aReplacementClosedWithoutCommitLeavesTheOldFileAndNoTemp() throws Exception {
        Path target = tmp.resolve("x.torrent");
        Files.writeString(target, "old");
        AtomicFiles.begin(target).close();
        assertThat(target).hasContent("old");
        assertThat(listing(tmp)).containsExactly("x.torrent");
    }

    @Test
    void aReplacementClosedWithoutCommitRemovesTheFoldersItMadeButNoOther() throws Exception {
        Files.createDirectories(tmp.resolve("kept"));
        try (AtomicFiles.Replacement r = AtomicFiles.begin(tmp.resolve("kept/new/deeper/x.torrent"))) {
            assertThat(tmp.resolve("kept/new/deeper")).isDirectory();
        }
        assertThat(listing(tmp)).containsExactly("kept");
        assertThat(listing(tmp.resolve("kept"))).isEmpty();
    }

    @Test
    void aFolderMadeForAReplacementStaysOnceSomethingElseIsInIt() throws Exception {
        try (AtomicFiles.Replacement r = AtomicFiles.begin(tmp.resolve("new/x.torrent"))) {
            Files.writeString(tmp.resolve("new/other"), "someone else's");
        }
        assertThat(listing(tmp.resolve("new"))).containsExactly("other");
    }

    @Test
    void beginFailsAtOnceWhenTheFolderCannotBeMade() throws Exception {
        Files.writeString(tmp.resolve("file"), "not a folder");
        IOException e = catchThrowableOfType(IOException.class, () -> AtomicFiles.begin(tmp.resolve("file/x.torrent")));
        assertThat(e).isNotNull();
        assertThat(listing(tmp)).containsExactly("file");
    }
}
