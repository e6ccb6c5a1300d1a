package simplebt.tracker.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading the Cookie header and writing Set-Cookie for the site's two cookies. */
final class Cookies {
    static final String SESSION = "sbt_session";
    /** A random visitor id before login, only so forms like log in and sign up have a CSRF token. */
    static final String VISITOR = "sbt_visitor";

    private Cookies() {
    }

    /** Name to value; the first of duplicate names wins, as browsers send the most specific first. */
    static Map<String, String> parse(List<String> headers) {
        Map<String, String> out = new HashMap<>();
        if (headers == null) {
            return out;
        }
        for (String header : headers) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.putIfAbsent(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return out;
    }

    /**
     * HttpOnly (scripts cannot read it), SameSite=Strict (no other site's page or link sends
     * it), Secure when the site is reached over HTTPS. Max-Age 0 deletes.
     */
    static String set(String name, String value, long maxAgeSeconds, boolean secure) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }
}
