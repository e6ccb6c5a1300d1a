package simplebt.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Passkeys and tokens never reach a log line (issue 14). */
class RedactionTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @Test
    void passkeyInTheQueryIsRedacted() {
        assertThat(Redaction.apply("announce STARTED to http://t:8000/announce?passkey=" + KEY + "&info_hash=%AB"))
                .isEqualTo("announce STARTED to http://t:8000/announce?passkey=<redacted>&info_hash=%AB");
        assertThat(Redaction.apply("http://t/announce.php?uid=1&authkey=" + KEY)).isEqualTo("http://t/announce.php?uid=1&authkey=<redacted>");
        assertThat(Redaction.apply("http://t/a?info_hash=x&key=ABCD1234 ok")).isEqualTo("http://t/a?info_hash=x&key=<redacted> ok");
    }

    @Test
    void passkeyInThePathIsRedacted() {
        assertThat(Redaction.apply("GET http://t:8000/announce/" + KEY + "?info_hash=x"))
                .isEqualTo("GET http://t:8000/announce/<redacted>?info_hash=x");
        assertThat(Redaction.apply("http://t/scrape/" + KEY)).isEqualTo("http://t/scrape/<redacted>");
    }

    @Test
    void bearerTokensAndJsonTokensAreRedacted() {
        assertThat(Redaction.apply("Authorization: Bearer abc.DEF-123_x")).isEqualTo("Authorization: Bearer <redacted>");
        assertThat(Redaction.apply("{\"token\": \"s3cr3t\", \"username\": \"bob\"}"))
                .isEqualTo("{\"token\": \"<redacted>\", \"username\": \"bob\"}");
    }

    @Test
    void ordinaryTextIsUntouched() {
        String line = "127.0.0.1:6881 extension handshake: SwarmKey[ab, no secret] /announce interval 1800s";
        assertThat(Redaction.apply(line)).isEqualTo(line);
    }

    @Test
    void debugLinesAndTheirStackTracesAreRedacted() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean wasDebug = Log.isDebug();
        Log.setDebug(true);
        Log.setDebugStream(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            Log.debug("announce to http://t/announce?passkey=" + KEY);
            Log.debug("details", new IllegalArgumentException("Illegal character in query at index 9: http://t/announce/" + KEY));
        } finally {
            Log.setDebug(wasDebug);
            Log.setDebugStream(System.err);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain(KEY).contains("passkey=<redacted>").contains("/announce/<redacted>");
    }
}
