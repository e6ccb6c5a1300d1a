package simplebt.cli;

/**
 * One key pressed at a terminal in raw mode, as {@link KeyDecoder} reads it from the bytes the
 * terminal sends. {@code ch} is the character for {@link Kind#CHAR} and 0 otherwise.
 */
public record Key(Kind kind, char ch) {
    public enum Kind {
        UP, DOWN, LEFT, RIGHT, HOME, END, PAGE_UP, PAGE_DOWN,
        ENTER, ESCAPE, BACKSPACE,
        /** Ctrl-D: in raw mode the terminal no longer turns it into the end of input, so we do. */
        END_OF_INPUT,
        CHAR,
        /** A sequence or byte we do not act on (F-keys, Alt-combinations, non-ASCII bytes). */
        OTHER
    }

    public static final Key UP = new Key(Kind.UP, '\0');
    public static final Key DOWN = new Key(Kind.DOWN, '\0');
    public static final Key LEFT = new Key(Kind.LEFT, '\0');
    public static final Key RIGHT = new Key(Kind.RIGHT, '\0');
    public static final Key HOME = new Key(Kind.HOME, '\0');
    public static final Key END = new Key(Kind.END, '\0');
    public static final Key PAGE_UP = new Key(Kind.PAGE_UP, '\0');
    public static final Key PAGE_DOWN = new Key(Kind.PAGE_DOWN, '\0');
    public static final Key ENTER = new Key(Kind.ENTER, '\0');
    public static final Key ESCAPE = new Key(Kind.ESCAPE, '\0');
    public static final Key BACKSPACE = new Key(Kind.BACKSPACE, '\0');
    public static final Key END_OF_INPUT = new Key(Kind.END_OF_INPUT, '\0');
    public static final Key OTHER = new Key(Kind.OTHER, '\0');

    public Key {
        if ((kind == Kind.CHAR) != (ch != '\0')) {
            throw new IllegalArgumentException("a CHAR key carries its character, other keys none: " + kind);
        }
    }

    public static Key of(char ch) {
        return new Key(Kind.CHAR, ch);
    }

    public boolean isDigit() {
        return kind == Kind.CHAR && ch >= '0' && ch <= '9';
    }
}
