package simplebt.secure;

import java.io.IOException;

/**
 * The secure channel refused a peer or a record. {@link #kind()} tells the engine what to do:
 * fall back to plain ({@link Kind#NO_ANSWER}), or stop trusting the peer for this torrent
 * ({@link #peerUntrusted()}).
 */
public final class SecureChannelException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Initiator: the peer closed, reset or stayed silent without answering a byte. Most likely
         * a standard client, or one of ours that does not serve this torrent with this secret. */
        NO_ANSWER,
        /** Responder: the first bytes are not our prefix. */
        NOT_SECURE,
        /** Responder: the torrent tag matches none of the served torrents (or the secret differs). */
        UNKNOWN_TORRENT,
        /** The handshake stopped midway: timeout or close after the peer had started answering. */
        INCOMPLETE,
        /** A record, or the key confirmation, failed authentication: tampering, replay, reorder,
         * or keys that differ (a wrong swarm secret on a path where the tag could not catch it). */
        AUTH_FAILED,
        /** A length out of bounds or a low-order public key: the peer broke the format. */
        MALFORMED,
        /** Our own safety limit on records per key was reached; nothing wrong with the peer. */
        RECORD_LIMIT
    }

    private final Kind kind;

    public SecureChannelException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the peer proved hostile or broken: the issue says never trust it again for this torrent. */
    public boolean peerUntrusted() {
        return kind == Kind.AUTH_FAILED || kind == Kind.MALFORMED;
    }

    @Override
    public String getMessage() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + super.getMessage();
    }
}
