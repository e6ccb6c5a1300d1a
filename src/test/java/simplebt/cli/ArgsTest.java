package simplebt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ArgsTest {
    private static Args parse(String... argv) throws UsageException {
        return Args.parse(List.of(argv), Set.of("o", "tracker", "port"), Set.of("force", "json"));
    }

    @Test
    void valuesFlagsAndPositionals() throws Exception {
        Args a = parse("create", "--tracker", "http://a", "dir", "--force", "-o", "x.torrent", "--tracker=http://b");
        assertThat(a.positional()).containsExactly("create", "dir");
        assertThat(a.flag("force")).isTrue();
        assertThat(a.flag("json")).isFalse();
        assertThat(a.value("o")).contains("x.torrent");
        assertThat(a.values("tracker")).containsExactly("http://a", "http://b");
        assertThat(a.value("tracker")).contains("http://b"); // the last one wins for single values
    }

    @Test
    void doubleDashEndsOptions() throws Exception {
        assertThat(parse("--", "--force", "-x").positional()).containsExactly("--force", "-x");
        assertThat(parse("-").positional()).containsExactly("-");
    }

    @Test
    void valueMayStartWithADash() throws Exception {
        assertThat(parse("-o", "-weird-name").value("o")).contains("-weird-name");
    }

    @Test
    void unknownOption() {
        assertThat(catchThrowableOfType(UsageException.class, () -> parse("--nope"))).hasMessage("unknown option --nope");
    }

    @Test
    void missingValue() {
        assertThat(catchThrowableOfType(UsageException.class, () -> parse("--tracker"))).hasMessage("option --tracker needs a value");
    }

    @Test
    void flagWithValue() {
        assertThat(catchThrowableOfType(UsageException.class, () -> parse("--force=yes"))).hasMessage("option --force takes no value");
    }

    @Test
    void intValueRange() throws Exception {
        assertThat(parse("--port", "6881").intValue("port", 1, 1, 65535)).isEqualTo(6881);
        assertThat(parse().intValue("port", 7, 1, 65535)).isEqualTo(7);
        assertThat(catchThrowableOfType(UsageException.class, () -> parse("--port", "0").intValue("port", 1, 1, 65535)))
                .hasMessage("--port must be between 1 and 65535");
        assertThat(catchThrowableOfType(UsageException.class, () -> parse("--port", "x").intValue("port", 1, 1, 65535)))
                .hasMessage("--port must be a whole number, got 'x'");
    }

    @Test
    void sizes() throws Exception {
        assertThat(Args.parseSize("262144")).isEqualTo(262144);
        assertThat(Args.parseSize("256k")).isEqualTo(256L << 10);
        assertThat(Args.parseSize("256KiB")).isEqualTo(256L << 10);
        assertThat(Args.parseSize("1m")).isEqualTo(1L << 20);
        assertThat(Args.parseSize("1MB")).isEqualTo(1L << 20);
        assertThat(Args.parseSize("2g")).isEqualTo(2L << 30);
        assertThat(catchThrowableOfType(UsageException.class, () -> Args.parseSize("lots")))
                .hasMessageStartingWith("not a size: 'lots'");
        assertThat(catchThrowableOfType(UsageException.class, () -> Args.parseSize("99999999999999g")))
                .hasMessageStartingWith("not a size");
    }
}
