package simplebt.storage;

import java.util.regex.Pattern;

/**
 * A glob over a file's '/'-separated path inside a torrent, for {@code --only}: {@code *} is any
 * run of characters within one segment, {@code ?} one character within a segment, {@code **} any
 * run across segments ({@code **}{@code /} also matches no folder at all, so {@code **}{@code /x.txt}
 * finds a top-level x.txt); every other character stands for itself, case counts. A glob that
 * matches a folder selects everything under it ({@code docs} is {@code docs/**}), as people
 * expect from a file picker.
 */
public final class PathGlob {
    private final String text;
    private final Pattern pattern;

    private PathGlob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException for an empty glob or one that starts with '/' */
    public static PathGlob of(String glob) {
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("--only needs a pattern, got an empty one");
        }
        if (glob.startsWith("/")) {
            throw new IllegalArgumentException("--only '" + glob + "': paths inside a torrent do not start with '/'");
        }
        String trimmed = glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob;
        // The folder rule: whatever matched may be followed by more path segments.
        return new PathGlob(glob, Pattern.compile(regex(trimmed) + "(?:/.*)?", Pattern.DOTALL));
    }

    private static String regex(String glob) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c != '*' && c != '?') {
                literal.append(c);
                continue;
            }
            if (!literal.isEmpty()) {
                out.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            if (c == '?') {
                out.append("[^/]");
            } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                i++;
                boolean slashAfter = i + 1 < glob.length() && glob.charAt(i + 1) == '/';
                boolean segmentStart = i - 1 == 0 || glob.charAt(i - 2) == '/';
                if (slashAfter && segmentStart) {
                    i++;
                    out.append("(?:.*/)?"); // "**/": any folders, or none
                } else {
                    out.append(".*");
                }
            } else {
                out.append("[^/]*");
            }
        }
        if (!literal.isEmpty()) {
            out.append(Pattern.quote(literal.toString()));
        }
        return out.toString();
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
