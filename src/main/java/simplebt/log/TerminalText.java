package simplebt.log;

/**
 * Makes a string from elsewhere (a torrent's name, a file path, a tracker's reply, a user name)
 * safe to print: a terminal acts on control characters, so a name holding ESC could clear the
 * screen, fake a prompt, set the window title or write the clipboard (OSC 52), and CR could
 * overwrite the line with other text. Every C0/C1 control, DEL, and the bidirectional overrides
 * that reorder what is shown are written as visible escapes ({@code \x1b}, {@code \u202e}).
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** The string with every character a terminal could act on written as a visible escape. */
    public static String safe(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isUnsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * JSON text from Gson, with the characters Gson leaves raw (DEL, C1 controls, bidi overrides)
     * escaped as {@code \}{@code uXXXX}. They can only occur inside JSON strings, where the escape
     * means the same character, so a script reading the output gets the exact value.
     */
    public static String json(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (isUnsafe(c) && c != '\n' && c != ' ') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isUnsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200e || c == 0x200f || c == 0x061c || c == 0x2028 || c == 0x2029;
    }
}
