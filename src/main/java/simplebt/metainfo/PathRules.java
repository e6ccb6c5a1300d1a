package simplebt.metainfo;

/**
 * What a path component taken from a .torrent may be. A hostile torrent can name files
 * "../../.bashrc" or "/etc/passwd"; every component is checked here and again by storage.
 */
public final class PathRules {
    private PathRules() {
    }

    /** Returns null when the component is safe, else why it is not. */
    public static String problem(String component) {
        if (component.isEmpty()) {
            return "empty path component";
        }
        if (component.equals(".") || component.equals("..")) {
            return "path component '" + component + "' is not allowed";
        }
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '/' || c == '\\') {
                return "path component contains a separator";
            }
            if (c == 0) {
                return "path component contains a NUL byte";
            }
        }
        if (component.length() >= 2 && component.charAt(1) == ':' && Character.isLetter(component.charAt(0))) {
            return "path component looks like a drive letter";
        }
        if (component.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            return "path component longer than 255 bytes";
        }
        return null;
    }
}
