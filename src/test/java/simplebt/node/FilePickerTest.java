package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.cli.InputLines;
import simplebt.cli.Prompt;
import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.storage.FileSelection;

/** The menu's file picker with piped answers: what is listed, what each answer chooses, what a mistake shows. */
class FilePickerTest {
    /** docs/a.txt, a padding file (never listed), movie.mkv (1.5 MiB), sub/b.bin. */
    private static final Info INFO = new Info("proj", 16384, new byte[20], List.of(
            new FileEntry(List.of("docs", "a.txt"), 100, 0),
            new FileEntry(List.of(".pad", "16284"), 16284, 100, true),
            new FileEntry(List.of("movie.mkv"), 1_572_864, 16384),
            new FileEntry(List.of("sub", "b.bin"), 7, 1_589_248)), true, false);

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    private FileSelection pick(Info info, String... answers) throws Exception {
        byte[] input = (String.join("\n", answers) + "\n").getBytes(StandardCharsets.UTF_8);
        Prompt prompt = new Prompt(InputLines.start(new ByteArrayInputStream(input)),
                new PrintStream(screen, true, StandardCharsets.UTF_8), false);
        return new FilePicker(prompt).ask(info);
    }

    private static List<Integer> chosen(FileSelection s) {
        return s.chosen(INFO).stream().boxed().toList();
    }

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void allFilesIsTheFirstChoice() throws Exception {
        assertThat(pick(INFO, "1").isAll()).isTrue();
        assertThat(screen()).contains("Files of proj", "1) All files", "2) Choose files");
    }

    @Test
    void choosingListsRealFilesWithSizesAndTakesNumbersAndRanges() throws Exception {
        FileSelection s = pick(INFO, "2", "1, 3");
        assertThat(chosen(s)).containsExactly(0, 3); // rows 1 and 3 are files 0 and 3: the padding is not a row
        assertThat(screen()).containsPattern("1\\s+docs/a.txt\\s+100 B")
                .containsPattern("2\\s+movie.mkv\\s+1.5 MiB")
                .containsPattern("3\\s+sub/b.bin\\s+7 B")
                .doesNotContain(".pad");
        assertThat(chosen(pick(INFO, "2", "2-3"))).containsExactly(2, 3);
    }

    @Test
    void aWrongAnswerSaysWhyAndAsksAgain() throws Exception {
        FileSelection s = pick(INFO, "2", "", "4", "3-1", "x", "1-2-3", "2");
        assertThat(chosen(s)).containsExactly(2);
        assertThat(screen()).contains("Choose at least one file.", "'4' is out of range.", "'3-1' is out of range.",
                "'x' is not a number or a range.", "'1-2-3' is not a number or a range.",
                "Please type numbers from 1 to 3, e.g. 1,3-5.");
    }

    @Test
    void aTorrentWithOneRealFileIsNotAskedAbout() throws Exception {
        Info single = new Info("movie.mkv", 16384, new byte[20], List.of(new FileEntry(List.of(), 10, 0)), false, false);
        assertThat(pick(single).isAll()).isTrue();
        assertThat(screen()).isEmpty();
    }

    @Test
    void parseTakesSpacesAndOverlaps() {
        assertThat(FilePicker.parse(" 1 ,2- 4,3", 5).stream().boxed().toList()).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> FilePicker.parse("1,,2", 5)).hasMessageStartingWith("'' is not a number");
        assertThatThrownBy(() -> FilePicker.parse("0", 5)).hasMessageStartingWith("'0' is out of range");
        assertThatThrownBy(() -> FilePicker.parse("-1", 5)).hasMessageStartingWith("'-1' is not a number");
    }
}
