package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;

class FileSelectionTest {
    /** docs/a.txt, docs/b.md, a BEP 47 padding file, src/main.c, top.txt; no hashes needed here. */
    private static final Info MULTI = new Info("proj", 16384, new byte[20], List.of(
            new FileEntry(List.of("docs", "a.txt"), 100, 0),
            new FileEntry(List.of("docs", "b.md"), 100, 100),
            new FileEntry(List.of(".pad", "16184"), 16184, 200, true),
            new FileEntry(List.of("src", "main.c"), 100, 16384),
            new FileEntry(List.of("top.txt"), 100, 16484)), true, false);

    private static List<Integer> chosen(FileSelection s, Info info) {
        return s.chosen(info).stream().boxed().toList();
    }

    @Test
    void allTakesEveryFileButPadding() {
        assertThat(chosen(FileSelection.ALL, MULTI)).containsExactly(0, 1, 3, 4);
        assertThat(FileSelection.globs(List.of())).isSameAs(FileSelection.ALL);
    }

    @Test
    void globsAddUpAndSeeThePathWithoutTheTorrentsName() {
        assertThat(chosen(FileSelection.globs(List.of("**/*.txt")), MULTI)).containsExactly(0, 4);
        assertThat(chosen(FileSelection.globs(List.of("docs", "src/*.c")), MULTI)).containsExactly(0, 1, 3);
        assertThat(chosen(FileSelection.globs(List.of("**")), MULTI)).containsExactly(0, 1, 3, 4); // not the padding
    }

    @Test
    void aGlobThatMatchesNothingNamesItselfAndTheTorrent() {
        assertThatThrownBy(() -> FileSelection.globs(List.of("docs", "*.iso")).chosen(MULTI))
                .isInstanceOf(FileSelection.NoMatch.class)
                .hasMessage("--only '*.iso' matches no file in proj; `node info` lists them");
        // the torrent's own folder name is not part of the path globs see
        assertThatThrownBy(() -> FileSelection.globs(List.of("proj/top.txt")).chosen(MULTI))
                .isInstanceOf(FileSelection.NoMatch.class);
        assertThatThrownBy(() -> FileSelection.globs(List.of(".pad/*")).chosen(MULTI))
                .isInstanceOf(FileSelection.NoMatch.class);
    }

    @Test
    void aSingleFileTorrentsPathIsItsName() {
        Info single = new Info("movie.mkv", 16384, new byte[20], List.of(new FileEntry(List.of(), 100, 0)), false, false);
        assertThat(chosen(FileSelection.globs(List.of("*.mkv")), single)).containsExactly(0);
        assertThatThrownBy(() -> FileSelection.globs(List.of("*.txt")).chosen(single)).isInstanceOf(FileSelection.NoMatch.class);
    }

    @Test
    void pickedNumbersDropPaddingAndIndicesPastTheEnd() {
        BitSet picked = new BitSet();
        picked.set(1);
        picked.set(2);
        picked.set(9);
        FileSelection s = FileSelection.files(picked);
        picked.set(0); // the selection kept its own copy
        assertThat(chosen(s, MULTI)).containsExactly(1);
    }
}
