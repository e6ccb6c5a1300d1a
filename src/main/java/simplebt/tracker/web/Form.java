package simplebt.tracker.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Fields of a query string or an application/x-www-form-urlencoded body; the first of a name wins. */
record Form(Map<String, String> fields) {
    static final Form EMPTY = new Form(Map.of());
    /** More fields than any of our forms has; the rest are ignored. */
    static final int MAX_FIELDS = 32;

    static Form parse(String encoded) {
        Map<String, String> out = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return new Form(out);
        }
        for (String pair : encoded.split("&", MAX_FIELDS + 1)) {
            if (out.size() >= MAX_FIELDS) {
                break;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (name != null && value != null) {
                out.putIfAbsent(name, value);
            }
        }
        return new Form(out);
    }

    String get(String name) {
        return fields.get(name);
    }

    String get(String name, String fallback) {
        return fields.getOrDefault(name, fallback);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException bad) {
            return null; // a stray '%': skip the field rather than fail the page
        }
    }
}
