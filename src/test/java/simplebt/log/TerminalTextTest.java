package simplebt.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlsBecomeVisibleEscapesAndOrdinaryNamesStayAsTheyAre() {
        assertThat(TerminalText.safe("a\u001b[2Jb\rc\u0007d\td\u007fe\u009bf\u202eg\u2028h"))
                .isEqualTo("a\\x1b[2Jb\\x0dc\\x07d\\x09d\\x7fe\\x9bf\\u202eg\\u2028h");
        assertThat(TerminalText.safe("Motörhead – 東京 🎸.flac")).isEqualTo("Motörhead – 東京 🎸.flac");
    }

    @Test
    void jsonKeepsTheExactValueWithNoRawControls() {
        String name = "x\u001b]52;c;AA==\u0007\u009b\u202e\u007fy";
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        String json = TerminalText.json(gson.toJson(new String[] {name}));
        assertThat(json.chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e)).isEmpty();
        assertThat(gson.fromJson(json, String[].class)).containsExactly(name);
    }

    @Test
    void logLinesCarryNoControlCharacters() {
        PrintStream old = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Log.warn("tracker says: \u001b]0;owned\u0007\rall good");
        } finally {
            System.setErr(old);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("warning: tracker says: \\x1b]0;owned\\x07\\x0dall good\n");
    }
}
