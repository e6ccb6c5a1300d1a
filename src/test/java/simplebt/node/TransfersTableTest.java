package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The Transfers table as a person reads it, drawn from status snapshots (no sessions, no sockets). */
class TransfersTableTest {
    private static final TransferRow SEEDING = new TransferRow("song.bin", 800_000, 800_000, 0, 51_200, 2, 0, 400_000, "seeding");
    private static final TransferRow DOWNLOADING = new TransferRow("film.mkv", 4L << 30, 1L << 30, 2.5 * (1 << 20), 0, 5,
            1L << 30, 512L << 20, "downloading");
    private static final TransferRow PAUSED = new TransferRow("notes", 5_000, 2_500, 0, 0, 0, 2_500, 0, "paused");

    @Test
    void everyColumnOfEveryRow() {
        String text = TransfersTable.plain(List.of(SEEDING, DOWNLOADING, PAUSED));
        assertThat(text.lines().toList()).containsExactly(
                "No.  Name      Size     Progress  Down       Up          Peers  Ratio  State",
                "---  --------  -------  --------  ---------  ----------  -----  -----  -----------",
                "  1  song.bin  781 KiB  100.0%        0 B/s  50.0 KiB/s      2   0.50  seeding",
                "  2  film.mkv  4.0 GiB  25.0%     2.5 MiB/s       0 B/s      5   0.50  downloading",
                "  3  notes     4.9 KiB  50.0%         0 B/s       0 B/s      0   0.00  paused");
    }

    @Test
    void progressNeverRoundsUpToDone() {
        assertThat(new TransferRow("x", 10_000, 9_999, 0, 0, 0, 0, 0, "downloading").progress()).isEqualTo("99.9%");
        assertThat(new TransferRow("x", 10_000, 10_000, 0, 0, 0, 0, 0, "seeding").progress()).isEqualTo("100.0%");
        assertThat(new TransferRow("empty", 0, 0, 0, 0, 0, 0, 0, "seeding").progress()).isEqualTo("100.0%");
    }

    @Test
    void ratioCountsWhatWeHoldWhenWeDownloadedLess() {
        assertThat(SEEDING.ratio()).isEqualTo(0.5);       // seeded our own file: 400 kB of 800 kB given away
        assertThat(DOWNLOADING.ratio()).isEqualTo(0.5);   // 512 MiB up for 1 GiB down
        assertThat(PAUSED.ratio()).isZero();
        assertThat(new TransferRow("new", 10, 0, 0, 0, 0, 0, 0, "checking").ratioText()).isEqualTo("0.00");
    }

    @Test
    void nothingYet() {
        assertThat(TransfersTable.plain(List.of())).isEqualTo("No transfers yet: Seed or Download adds one.\n");
        assertThat(TransfersTable.screen("Transfers", List.of(), 0, "(q goes back): ", 80, 24))
                .containsExactly("Transfers", "No transfers yet: Seed or Download adds one.", "(q goes back): ");
    }

    @Test
    void screenMarksThePickedRowAndFitsTheWidth() {
        List<String> lines = TransfersTable.screen("Transfers on port 6881", List.of(SEEDING, DOWNLOADING, PAUSED), 1,
                "Choose 1-3: ", 60, 24);
        assertThat(lines).hasSize(1 + 2 + 3 + 1);
        assertThat(lines.get(0)).isEqualTo("Transfers on port 6881");
        assertThat(lines.get(1)).startsWith("  No.  Name");
        assertThat(lines.get(3)).startsWith("    1  song.bin");
        assertThat(lines.get(4)).startsWith("\033[7m>   2  film.mkv").endsWith("...\033[0m");
        assertThat(lines.get(5)).startsWith("    3  notes");
        assertThat(lines.getLast()).isEqualTo("Choose 1-3: ");
        assertThat(lines).allMatch(l -> l.replaceAll("\033\\[[0-9]*m", "").length() <= 59);
    }

    @Test
    void namesCannotDriveTheTerminal() {
        TransferRow evil = new TransferRow("a\033[2Jb", 1, 1, 0, 0, 0, 0, 0, "seeding");
        assertThat(TransfersTable.plain(List.of(evil))).contains("a\\x1b[2Jb").doesNotContain("\033");
    }

    @Test
    void manyRowsShowAWindowAroundThePickedOneThatFitsTheScreen() {
        List<TransferRow> many = java.util.stream.IntStream.rangeClosed(1, 100)
                .mapToObj(i -> new TransferRow("t" + i, 1000, 1000, 0, 0, 0, 0, 0, "seeding")).toList();
        List<String> top = TransfersTable.screen("Transfers", many, 0, "Choose 1-100: ", 80, 24);
        assertThat(top).hasSize(23); // a line short of the screen: the redraw's cursor moves stay on it
        assertThat(top.get(0)).isEqualTo("Transfers (rows 1-19 of 100)");
        assertThat(top.get(3)).startsWith("\033[7m>   1  t1 ");
        assertThat(top.get(21)).startsWith("   19  t19 ");

        List<String> middle = TransfersTable.screen("Transfers", many, 49, "Choose 1-100: ", 80, 24);
        assertThat(middle.get(0)).isEqualTo("Transfers (rows 41-59 of 100)");
        assertThat(middle).anyMatch(l -> l.startsWith("\033[7m>  50  t50 "));
        assertThat(middle.get(1)).isEqualTo(top.get(1)); // same column widths while scrolling

        List<String> bottom = TransfersTable.screen("Transfers", many, 99, "Choose 1-100: ", 80, 24);
        assertThat(bottom.get(0)).isEqualTo("Transfers (rows 82-100 of 100)");
        assertThat(bottom.get(21)).startsWith("\033[7m> 100  t100 ");

        assertThat(TransfersTable.screen("Transfers", many.subList(0, 3), -1, "", 80, 24).get(0)).isEqualTo("Transfers");
    }
}
