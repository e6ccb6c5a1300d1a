package simplebt.secure;

import java.util.Locale;

/** The node's {@code --encryption} setting (issue 7); the default is {@link #PREFERRED}. */
public enum EncryptionMode {
    /** Only secure connections, both ways; plain peers are refused. */
    REQUIRED,
    /** Secure first; if the peer does not answer the prefix, reconnect plain and remember that. */
    PREFERRED,
    /** Plain BitTorrent only. */
    OFF;

    /** Parses {@code required|preferred|off} (any case); the message lists the choices. */
    public static EncryptionMode parse(String text) {
        for (EncryptionMode m : values()) {
            if (m.name().equalsIgnoreCase(text.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("--encryption must be required, preferred or off, not '" + text + "'");
    }

    /** May an incoming plain (0x13) connection be served? */
    public boolean acceptsPlain() {
        return this != REQUIRED;
    }

    /**
     * Message Stream Encryption (the RC4 obfuscation of standard clients) with peers that are not
     * ours: accepted incoming and tried first outgoing. Only in {@code preferred}: {@code off}
     * is plain only, and {@code required} means our secure channel, which MSE is not.
     */
    public boolean speaksMse() {
        return this == PREFERRED;
    }

    /** May an incoming secure connection be served? */
    public boolean acceptsSecure() {
        return this != OFF;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
