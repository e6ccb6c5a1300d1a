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

    /**
     * Parses {@code a=1&b=%41}; a null or empty query has no values. One pass over the raw
     * text without regexes or intermediate strings: announces are the tracker's hot path.
     */
    static QueryString parse(String rawQuery) throws BadRequest {
        Map<String, List<byte[]>> values = new HashMap<>();
        int n = rawQuery == null ? 0 : rawQuery.length();
        int i = 0;
        while (i < n) {
            int amp = rawQuery.indexOf('&', i);
            if (amp < 0) {
                amp = n;
            }
            if (amp > i) {
                int eq = rawQuery.indexOf('=', i);
                if (eq < 0 || eq > amp) {
                    eq = amp;
                }
                String name = isPlain(rawQuery, i, eq) ? rawQuery.substring(i, eq)
                        : new String(decode(rawQuery, i, eq), StandardCharsets.UTF_8);
                byte[] value = eq < amp ? decode(rawQuery, eq + 1, amp) : new byte[0];
                values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            i = amp + 1;
        }
        return new QueryString(values);
    }

    static byte[] decode(String s) throws BadRequest {
        return decode(s, 0, s.length());
    }

    /** Percent-decoding of {@code s[from, to)} to bytes; '+' is a space as in HTML forms. */
    static byte[] decode(String s, int from, int to) throws BadRequest {
        int length = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return decodeSlow(s.substring(from, to));
            }
            if (c == '%') {
                if (i + 2 >= to) {
                    throw new BadRequest("truncated percent escape in query");
                }
                i += 2;
            }
            length++;
        }
        byte[] out = new byte[length];
        int o = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new BadRequest("invalid percent escape in query");
                }
                out[o++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[o++] = (byte) (c == '+' ? ' ' : c);
            }
        }
        return out;
    }

    private static boolean isPlain(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+' || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Raw non-ASCII should not appear in a URL; if it does, take its UTF-8 bytes. */
    private static byte[] decodeSlow(String s) throws BadRequest {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.writeBytes(decode(s, i, Math.min(i + 3, s.length())));
                i += 2;
            } else if (c < 0x80) {
                out.writeBytes(decode(s, i, i + 1));
            } else {
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
