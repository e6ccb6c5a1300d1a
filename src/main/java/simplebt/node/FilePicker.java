package simplebt.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import simplebt.cli.Prompt;
import simplebt.cli.Table;
import simplebt.cli.Units;
import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.storage.FileSelection;

/**
 * The menu's file picker for a torrent of several files: "All files" or "Choose files", then a
 * numbered table (No., File, Size) and an answer such as {@code 1,3-5}. Works the same with a
 * terminal or piped input (it only asks lines through {@link Prompt}). BEP 47 padding files are
 * never listed; a torrent with one real file is not asked about.
 */
final class FilePicker {
    private final Prompt prompt;

    FilePicker(Prompt prompt) {
        this.prompt = prompt;
    }

    FileSelection ask(Info info) throws IOException {
        List<Integer> listed = new ArrayList<>(); // table row -> index in info.files()
        for (int i = 0; i < info.files().size(); i++) {
            if (!info.files().get(i).padding()) {
                listed.add(i);
            }
        }
        if (listed.size() < 2 || prompt.choose("Files of " + info.name(), List.of("All files", "Choose files")) == 0) {
            return FileSelection.ALL;
        }
        Table table = new Table("No.", "File", "Size");
        for (int row = 0; row < listed.size(); row++) {
            FileEntry f = info.files().get(listed.get(row));
            table.row(row + 1, FileSelection.pathInTorrent(info, f), Units.bytes(f.length()));
        }
        prompt.out().print(table.render());
        while (true) {
            String answer = prompt.ask("Files to download (e.g. 1,3-5)");
            try {
                BitSet rows = parse(answer, listed.size());
                BitSet files = new BitSet();
                rows.stream().forEach(r -> files.set(listed.get(r - 1)));
                return FileSelection.files(files);
            } catch (IllegalArgumentException e) {
                prompt.out().println(e.getMessage());
            }
        }
    }

    /**
     * Numbers and ranges, comma-separated ({@code "1, 3-5"}), each from 1 to {@code count}.
     *
     * @throws IllegalArgumentException with a line for the person when the answer is not that
     */
    static BitSet parse(String answer, int count) {
        BitSet out = new BitSet();
        String help = "Please type numbers from 1 to " + count + ", e.g. 1,3-5.";
        if (answer.isBlank()) {
            throw new IllegalArgumentException("Choose at least one file. " + help);
        }
        for (String part : answer.split(",", -1)) {
            String[] ends = part.strip().split("-", -1);
            if (ends.length > 2) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a number or a range. " + help);
            }
            int from = number(ends[0], part, help);
            int to = ends.length == 2 ? number(ends[1], part, help) : from;
            if (from < 1 || to > count || from > to) {
                throw new IllegalArgumentException("'" + part.strip() + "' is out of range. " + help);
            }
            out.set(from, to + 1);
        }
        return out;
    }

    private static int number(String text, String part, String help) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + part.strip() + "' is not a number or a range. " + help);
        }
    }
}
