package simplebt.mse;

import java.io.IOException;

/** An MSE handshake that failed; {@link #kind()} says how, the message says where. */
public final class MseException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Initiator: the peer closed, reset or stayed silent before its whole key arrived: it does not speak MSE. */
        NO_ANSWER,
        /** The peer stopped midway (closed, reset, or the handshake deadline passed). */
        INCOMPLETE,
        /** The synchronisation marker was not within the bytes the spec allows (pads too long, wrong key, junk). */
        NO_SYNC,
        /** Responder: HASH('req2', SKEY) names no torrent we serve. */
        UNKNOWN_TORRENT,
        /** The verification constant did not decrypt to zeros. */
        BAD_VC,
        /** A pad length above 512. */
        BAD_PAD,
        /** No crypto method both sides accept, or the peer selected one we did not offer. */
        NO_COMMON_METHOD,
        /** A Diffie-Hellman public key out of range. */
        BAD_KEY
    }

    private final Kind kind;

    public MseException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The message without the kind. */
    public String reason() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return kind + ": " + super.getMessage();
    }
}
