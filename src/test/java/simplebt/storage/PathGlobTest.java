package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The --only glob: '*' stays within a folder name, '**' crosses folders, a folder means all under it. */
class PathGlobTest {
    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
            // glob,            path,                 matches
            "a.txt,             a.txt,                true",
            "a.txt,             b/a.txt,              false", // no implicit folders in front
            "*.txt,             a.txt,                true",
            "*.txt,             sub/a.txt,            false", // '*' does not cross '/'
            "*.txt,             a.txt.bak,            false",
            "sub/*.txt,         sub/a.txt,            true",
            "sub/*.txt,         sub/deeper/a.txt,     false",
            "**/*.txt,          a.txt,                true",  // '**/' also matches no folder
            "**/*.txt,          sub/deeper/a.txt,     true",
            "sub/**,            sub/deeper/a.bin,     true",
            "sub/**/a.bin,      sub/a.bin,            true",
            "sub/**/a.bin,      sub/x/y/a.bin,        true",
            "sub/**/a.bin,      subway/a.bin,         false",
            "**,                any/thing/at/all,     true",
            "sub,               sub/deeper/a.bin,     true",  // a folder selects what is under it
            "sub/,              sub/a.bin,            true",
            "sub,               subway/a.bin,         false",
            "s?b/a.bin,         sub/a.bin,            true",
            "s?b/a.bin,         s/b/a.bin,            false", // '?' is not '/'
            "A.TXT,             a.txt,                false", // case counts
            "a+b(1).[x],        a+b(1).[x],           true",  // regex characters are literal
            "a+b(1).[x],        aab(1)x[x],           false",
            "file*,             file,                 true",
    })
    void matches(String glob, String path, boolean expected) {
        assertThat(PathGlob.of(glob).matches(path)).isEqualTo(expected);
    }

    @Test
    void anEmptyGlobOrAnAbsoluteOneIsRefusedWithItsReason() {
        assertThatThrownBy(() -> PathGlob.of("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PathGlob.of("/etc/passwd")).hasMessageContaining("do not start with '/'");
    }
}
