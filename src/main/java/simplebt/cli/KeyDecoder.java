package simplebt.cli;

import java.util.List;
import java.util.Optional;

/**
 * Turns the bytes a terminal in raw mode sends into {@link Key}s. No I/O: the reader feeds one
 * byte at a time and calls {@link #idle()} when no byte followed an ESC for a moment, because a
 * lone ESC (the Escape key) and the first byte of an arrow key are the same byte.
 *
 * <p>What terminals send (xterm's ctlseqs, the VT100/VT220 conventions that tmux, the Linux
 * console and every emulator follow): arrows as {@code ESC [ A..D} in normal cursor mode or
 * {@code ESC O A..D} in application mode; Home/End as {@code ESC [ H / F}, {@code ESC O H / F},
 * {@code ESC [ 1 ~ / 4 ~} (VT220) or {@code ESC [ 7 ~ / 8 ~} (rxvt); Page Up/Down as
 * {@code ESC [ 5 ~ / 6 ~}. A modifier adds parameters ({@code ESC [ 1 ; 5 A} is Ctrl-Up) and
 * is ignored. Enter is CR, or LF once the terminal maps CR to NL (ICRNL, which raw mode keeps).
 *
 * <p>Owned by one thread (the one reading keys); not thread-safe.
 */
public final class KeyDecoder {
    private static final int ESC = 0x1b;

    private enum State { GROUND, ESC, CSI, SS3 }

    private State state = State.GROUND;
    /** The CSI parameter bytes read so far ("1;5"); capped so a runaway sequence cannot grow it. */
    private final StringBuilder params = new StringBuilder();
    private boolean lastWasCr;

    /** Whether a sequence has started and the next byte decides what it is. */
    public boolean midSequence() {
        return state != State.GROUND;
    }

    /** The keys this byte completes (none while inside a sequence, two after ESC + a plain key). */
    public List<Key> feed(int b) {
        b &= 0xff;
        return switch (state) {
            case GROUND -> ground(b).map(List::of).orElse(List.of());
            case ESC -> afterEsc(b);
            case CSI -> csi(b).map(List::of).orElse(List.of());
            case SS3 -> {
                state = b == ESC ? State.ESC : State.GROUND;
                yield List.of(b == ESC ? Key.OTHER : finalKey(b));
            }
        };
    }

    /** Nothing followed within the wait: a pending ESC was the Escape key itself. */
    public Optional<Key> idle() {
        State was = state;
        state = State.GROUND;
        params.setLength(0);
        // A sequence cut off after ESC [ or ESC O is most likely Alt-[ or Alt-O: nothing to act on.
        return was == State.ESC ? Optional.of(Key.ESCAPE) : was == State.GROUND ? Optional.empty() : Optional.of(Key.OTHER);
    }

    private Optional<Key> ground(int b) {
        boolean crBefore = lastWasCr;
        lastWasCr = b == '\r';
        if (b == ESC) {
            state = State.ESC;
            return Optional.empty();
        }
        if (b == '\r') {
            return Optional.of(Key.ENTER);
        }
        if (b == '\n') {
            // CR LF is one Enter (a terminal without ICRNL, or a paste); LF alone is Enter too.
            return crBefore ? Optional.empty() : Optional.of(Key.ENTER);
        }
        if (b == 0x7f || b == 0x08) {
            return Optional.of(Key.BACKSPACE);
        }
        if (b == 0x04) {
            return Optional.of(Key.END_OF_INPUT);
        }
        if (b >= 0x20 && b < 0x7f) {
            return Optional.of(Key.of((char) b));
        }
        return Optional.of(Key.OTHER); // other controls, and each byte of a non-ASCII character
    }

    private List<Key> afterEsc(int b) {
        state = State.GROUND;
        if (b == '[') {
            state = State.CSI;
            params.setLength(0);
            return List.of();
        }
        if (b == 'O') {
            state = State.SS3;
            return List.of();
        }
        if (b == ESC) {
            state = State.ESC; // Escape pressed twice: the first is complete, the second may start a sequence
            return List.of(Key.ESCAPE);
        }
        // Alt + key sends ESC then the key: report both, so Alt-q still backs out once.
        return ground(b).map(k -> List.of(Key.ESCAPE, k)).orElse(List.of(Key.ESCAPE));
    }

    private Optional<Key> csi(int b) {
        if (b >= 0x20 && b <= 0x3f) { // parameter and intermediate bytes (ECMA-48 5.4)
            if (params.length() < 16) {
                params.append((char) b);
            }
            return Optional.empty();
        }
        state = b == ESC ? State.ESC : State.GROUND; // a cut-off sequence, then a new one
        String p = params.toString();
        params.setLength(0);
        if (b == '~') {
            String first = p.split(";", -1)[0];
            return Optional.of(switch (first) {
                case "1", "7" -> Key.HOME;
                case "4", "8" -> Key.END;
                case "5" -> Key.PAGE_UP;
                case "6" -> Key.PAGE_DOWN;
                default -> Key.OTHER; // Insert, Delete, F5..F12
            });
        }
        return Optional.of(b >= 0x40 && b <= 0x7e ? finalKey(b) : Key.OTHER);
    }

    private static Key finalKey(int b) {
        return switch (b) {
            case 'A' -> Key.UP;
            case 'B' -> Key.DOWN;
            case 'C' -> Key.RIGHT;
            case 'D' -> Key.LEFT;
            case 'H' -> Key.HOME;
            case 'F' -> Key.END;
            default -> Key.OTHER;
        };
    }
}
