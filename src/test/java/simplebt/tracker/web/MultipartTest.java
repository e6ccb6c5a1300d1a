package simplebt.tracker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Splitting the upload form's body into the CSRF field and the file. */
class MultipartTest {
    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    private static byte[] body(byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes("--XyZ\r\nContent-Disposition: form-data; name=\"torrent\"; filename=\"a.torrent\"\r\nContent-Type: application/x-bittorrent\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes("\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void splitsFieldsAndKeepsFileBytesExact() throws Exception {
        // A file may hold CRLFs, dashes and most of the delimiter; only the whole delimiter ends it.
        byte[] file = "d4:info\r\n--XyYe\r\n--Xy\0\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Multipart.Part> parts = Multipart.parse(TYPE, body(file));
        assertThat(parts.get("csrf").text()).isEqualTo("tok");
        assertThat(parts.get("csrf").filename()).isNull();
        assertThat(parts.get("torrent").filename()).isEqualTo("a.torrent");
        assertThat(parts.get("torrent").data()).containsExactly(file);
    }

    @Test
    void takesAQuotedBoundary() throws Exception {
        assertThat(Multipart.parse("multipart/form-data; boundary=\"XyZ\"", body(new byte[] {1})).get("torrent").data())
                .containsExactly(1);
    }

    @Test
    void refusesOtherTypesAndMissingBoundaries() {
        assertThatThrownBy(() -> Multipart.parse("application/json", body(new byte[0])))
                .isInstanceOfSatisfying(SiteException.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> Multipart.parse("multipart/form-data", body(new byte[0])))
                .isInstanceOfSatisfying(SiteException.class, e -> assertThat(e.status()).isEqualTo(415));
    }

    @Test
    void refusesATruncatedBody() {
        byte[] whole = body("abc".getBytes(StandardCharsets.UTF_8));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 12);
        assertThatThrownBy(() -> Multipart.parse(TYPE, cut))
                .isInstanceOfSatisfying(SiteException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void refusesMorePartsThanAnyFormHas() {
        String many = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n".repeat(Multipart.MAX_PARTS + 1) + "--XyZ--\r\n";
        assertThatThrownBy(() -> Multipart.parse(TYPE, many.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SiteException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void findsADelimiterAfterManyNearMisses() {
        byte[] data = ("a".repeat(10_000) + "\r\n--aaaa").getBytes(StandardCharsets.UTF_8);
        assertThat(Multipart.indexOf(data, "\r\n--aaaa".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(10_000);
        assertThat(Multipart.indexOf(data, "\r\n--aaab".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(-1);
    }
}
