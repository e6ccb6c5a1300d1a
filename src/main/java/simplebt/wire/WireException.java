package simplebt.wire;

import java.io.IOException;

/** A peer sent something the protocol does not allow; the message says what and why. */
public final class WireException extends IOException {
    public WireException(String message) {
        super(message);
    }
}
