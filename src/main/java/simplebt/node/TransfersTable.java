package simplebt.node;

import java.util.ArrayList;
import java.util.List;

import simplebt.cli.ScreenText;
import simplebt.cli.Table;
import simplebt.cli.Units;

/** The Transfers table: one row per torrent, as a plain listing or as live screen lines. */
final class TransfersTable {
    private TransfersTable() {
    }

    static Table table(List<TransferRow> rows) {
        Table table = new Table("No.", "Name", "Size", "Progress", "Down", "Up", "Peers", "Ratio", "State");
        int n = 1;
        for (TransferRow r : rows) {
            table.row(n++, r.name(), Units.bytes(r.size()), r.progress(), Units.rate(r.downRate()), Units.rate(r.upRate()),
                    r.peers(), r.ratioText(), r.state());
        }
        return table;
    }

    /** For piped output (and the transcript of a script): the table as text, or a line when there is nothing. */
    static String plain(List<TransferRow> rows) {
        return rows.isEmpty() ? "No transfers yet: Seed or Download adds one.\n" : table(rows).render();
    }

    /**
     * For a terminal: a heading, the table with the picked row marked and highlighted, and the
     * prompt line last (where the cursor waits); each line cut to the width. When the rows do
     * not fit in {@code height} lines, a window of them around the picked one is shown (the
     * column widths stay those of the whole table, so they do not jump while scrolling).
     */
    static List<String> screen(String heading, List<TransferRow> rows, int selected, String promptLine, int columns, int height) {
        List<String> lines = new ArrayList<>();
        if (rows.isEmpty()) {
            lines.add(ScreenText.fit(heading, columns));
            lines.add(ScreenText.fit("No transfers yet: Seed or Download adds one.", columns));
        } else {
            String[] table = table(rows).render().split("\n");
            // heading, header, rule, prompt, and one spare line so the block never touches the top
            int fits = Math.max(1, height - 5);
            int first = Math.max(0, Math.min(selected - fits / 2, rows.size() - fits));
            int last = Math.min(rows.size(), first + fits);
            String window = first == 0 && last == rows.size() ? "" : " (rows " + (first + 1) + "-" + last + " of " + rows.size() + ")";
            lines.add(ScreenText.fit(heading + window, columns));
            lines.add(ScreenText.marked(table[0], false, columns));
            lines.add(ScreenText.marked(table[1], false, columns));
            for (int row = first; row < last; row++) {
                lines.add(ScreenText.marked(table[row + 2], row == selected, columns));
            }
        }
        lines.add(ScreenText.fit(promptLine, columns));
        return lines;
    }
}
