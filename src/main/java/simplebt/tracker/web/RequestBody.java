package simplebt.tracker.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import com.sun.net.httpserver.HttpExchange;

/**
 * Reads a request body up to a limit, for the JSON API and the site alike: a declared length
 * over the limit is refused before a byte is read, and an undeclared (chunked) body is read only
 * up to the limit. Each caller turns the refusals into its own error (413, 400).
 */
public final class RequestBody {
    /** The body is larger than the limit (declared so, or found so while reading). */
    public static final class TooLarge extends IOException {
        TooLarge(int limit) {
            super("request body larger than " + limit + " bytes");
        }
    }

    /** The Content-Length header is not a number. */
    public static final class BadLength extends IOException {
        BadLength() {
            super("bad Content-Length");
        }
    }

    private RequestBody() {
    }

    public static byte[] read(HttpExchange ex, int limit) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new BadLength();
            }
            if (length > limit) {
                throw new TooLarge(limit);
            }
        }
        InputStream in = ex.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > limit) {
                throw new TooLarge(limit);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
