package simplebt.tracker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A raw URL query string decoded to bytes. info_hash and peer_id are percent-encoded binary
 * (BEP 3), so values are decoded to byte arrays, never through a UTF-8 String first.
 */
final class QueryString {
    private final Map<String, List<byte[]>> values;

    private QueryString(Map<String, List<byte[]>> values) {
        this.values = values;
    }

    /** Parses {@code a=1&b=%41}; a null or empty query has no values. */
    static QueryString parse(String rawQuery) throws BadRequest {
        Map<String, List<byte[]>> values = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                byte[] value = decode(eq < 0 ? "" : pair.substring(eq + 1));
                String name = new String(decode(key), StandardCharsets.UTF_8);
                values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
        }
        return new QueryString(values);
    }

    /** Percent-decoding to bytes; '+' is a space as in HTML forms. */
    static byte[] decode(String s) throws BadRequest {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new BadRequest("truncated percent escape in query");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new BadRequest("invalid percent escape in query");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                // Raw non-ASCII should not appear in a URL; take its UTF-8 bytes.
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    Optional<byte[]> bytes(String name) {
        List<byte[]> v = values.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    List<byte[]> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    Optional<String> text(String name) {
        return bytes(name).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** A non-negative whole number, or the default when absent. */
    long number(String name, long defaultValue) throws BadRequest {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < 0) {
                throw new BadRequest(name + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number");
        }
    }
}
