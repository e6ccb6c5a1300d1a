package simplebt.swarm;

import java.util.Locale;

/** The {@code --encryption} setting; the secure channel (simplebt.secure) gives it meaning. */
public enum Encryption {
    OFF, PREFERRED, REQUIRED;

    public static Encryption parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "off" -> OFF;
            case "preferred" -> PREFERRED;
            case "required" -> REQUIRED;
            default -> throw new IllegalArgumentException("--encryption must be required, preferred or off, got '" + text + "'");
        };
    }
}
