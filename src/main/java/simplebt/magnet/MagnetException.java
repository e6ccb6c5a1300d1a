package simplebt.magnet;

/** A magnet link that cannot be used; the message names the part that is wrong, in one line. */
public final class MagnetException extends Exception {
    public MagnetException(String message) {
        super(message);
    }
}
