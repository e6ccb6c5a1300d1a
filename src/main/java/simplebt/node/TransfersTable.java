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
     * For a terminal: a heading, the table with the picked row marked and highlighted, each
     * line cut to the width, and the prompt line last (where the cursor waits).
     */
    static List<String> screen(String heading, List<TransferRow> rows, int selected, String promptLine, int columns) {
        List<String> lines = new ArrayList<>();
        lines.add(ScreenText.fit(heading, columns));
        if (rows.isEmpty()) {
            lines.add(ScreenText.fit("No transfers yet: Seed or Download adds one.", columns));
        } else {
            String[] table = table(rows).render().split("\n");
            for (int i = 0; i < table.length; i++) {
                int row = i - 2; // after the header and the rule
                lines.add(ScreenText.marked(table[i], row >= 0 && row == selected, columns));
            }
        }
        lines.add(ScreenText.fit(promptLine, columns));
        return lines;
    }
}
