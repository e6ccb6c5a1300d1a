package simplebt.log;

import java.util.regex.Pattern;

/**
 * Removes credentials from text before it is logged or shown: a passkey in an announce URL
 * ({@code ?passkey=...} or {@code /announce/<passkey>}, BEP 27 private trackers put it there)
 * is the user's login to the tracker, and a bearer token is a session. A {@code --debug} log is
 * the kind of file people paste into bug reports (issue 14).
 */
public final class Redaction {
    public static final String MARK = "<redacted>";

    /** Query parameters that carry credentials: ours (passkey), other trackers' (authkey, pk), BEP 3's key. */
    private static final Pattern QUERY = Pattern.compile(
            "(?i)([?&;](?:passkey|authkey|pk|key|token|secret|access_token)=)[^&#\\s\"'<>]+");
    /** {@code /announce/<passkey>} and {@code /scrape/<passkey>}, our tracker's path form. */
    private static final Pattern PATH = Pattern.compile("(?i)(/(?:announce|scrape)/)[^/?#\\s\"'<>]+");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern JSON = Pattern.compile("(?i)(\"(?:token|passkey|password)\"\\s*:\\s*\")[^\"]*");

    private Redaction() {
    }

    public static String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = QUERY.matcher(text).replaceAll("$1" + MARK);
        out = PATH.matcher(out).replaceAll("$1" + MARK);
        out = BEARER.matcher(out).replaceAll("$1" + MARK);
        return JSON.matcher(out).replaceAll("$1" + MARK);
    }
}
