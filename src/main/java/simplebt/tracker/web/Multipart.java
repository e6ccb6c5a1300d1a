package simplebt.tracker.web;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A multipart/form-data body (RFC 7578) split into its parts: the upload form's CSRF field
 * and the .torrent file. Only what our form sends is needed: a boundary of at most 70
 * characters, a few parts, each with a Content-Disposition name (and for files a filename).
 */
final class Multipart {
    static final int MAX_PARTS = 8;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i);\\s*filename=\"([^\"]*)\"");

    /** One part: its field name, the file name when it is a file, and its bytes. */
    record Part(String name, String filename, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private Multipart() {
    }

    static Map<String, Part> parse(String contentType, byte[] body) throws SiteException {
        Matcher b = BOUNDARY.matcher(contentType == null ? "" : contentType);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !b.find()) {
            throw new SiteException(415, "the form must be sent as multipart/form-data");
        }
        byte[] delimiter = ("\r\n--" + (b.group(1) != null ? b.group(1) : b.group(2))).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Part> parts = new HashMap<>();
        // The body opens with the delimiter minus its leading CRLF; pretend one was there.
        byte[] framed = new byte[body.length + 2];
        framed[0] = '\r';
        framed[1] = '\n';
        System.arraycopy(body, 0, framed, 2, body.length);
        int at = indexOf(framed, delimiter, 0);
        if (at != 0) {
            throw malformed();
        }
        at += delimiter.length;
        for (int count = 0; ; count++) {
            if (startsWith(framed, at, "--")) {
                return parts;
            }
            if (!startsWith(framed, at, "\r\n") || count >= MAX_PARTS) {
                throw malformed();
            }
            int headersEnd = indexOf(framed, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            int next = headersEnd < 0 ? -1 : indexOf(framed, delimiter, headersEnd + 4);
            if (headersEnd < 0 || next < 0 || headersEnd - at > 8192) {
                throw malformed();
            }
            String headers = new String(framed, at + 2, headersEnd - at - 2, StandardCharsets.UTF_8);
            Matcher name = NAME.matcher(headers);
            if (name.find()) {
                Matcher file = FILENAME.matcher(headers);
                byte[] data = java.util.Arrays.copyOfRange(framed, headersEnd + 4, next);
                parts.putIfAbsent(name.group(1), new Part(name.group(1), file.find() ? file.group(1) : null, data));
            }
            at = next + delimiter.length;
        }
    }

    private static SiteException malformed() {
        return new SiteException(400, "the form data is malformed; reload the page and try again");
    }

    private static boolean startsWith(byte[] data, int at, String s) {
        if (at + s.length() > data.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (data[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Boyer-Moore-Horspool search: on real bodies it skips up to the delimiter's length per
     * step. A hostile body built from the boundary's own characters still costs at most the
     * delimiter's length (74) in comparisons per byte, bounded by the upload size limit.
     */
    static int indexOf(byte[] data, byte[] pattern, int from) {
        int m = pattern.length;
        int[] shift = new int[256];
        java.util.Arrays.fill(shift, m);
        for (int i = 0; i < m - 1; i++) {
            shift[pattern[i] & 0xff] = m - 1 - i;
        }
        int i = from;
        while (i + m <= data.length) {
            int j = m - 1;
            while (j >= 0 && data[i + j] == pattern[j]) {
                j--;
            }
            if (j < 0) {
                return i;
            }
            i += shift[data[i + m - 1] & 0xff];
        }
        return -1;
    }
}
