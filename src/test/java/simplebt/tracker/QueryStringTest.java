package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryStringTest {
    @Test
    void decodesPercentEscapesToRawBytesNotUtf8() throws Exception {
        QueryString q = QueryString.parse("info_hash=%FF%00a%e9&x=1");
        assertThat(q.bytes("info_hash")).get().isEqualTo(new byte[] {(byte) 0xff, 0, 'a', (byte) 0xe9});
        assertThat(q.text("x")).contains("1");
    }

    @Test
    void keepsRepeatedKeysInOrder() throws Exception {
        QueryString q = QueryString.parse("info_hash=a&info_hash=b&info_hash=c");
        assertThat(q.all("info_hash")).extracting(String::new).containsExactly("a", "b", "c");
    }

    @Test
    void plusIsSpaceAndMissingValueIsEmpty() throws Exception {
        QueryString q = QueryString.parse("a=x+y&flag&&b=");
        assertThat(q.text("a")).contains("x y");
        assertThat(q.text("flag")).contains("");
        assertThat(q.text("b")).contains("");
        assertThat(q.text("missing")).isEmpty();
    }

    @Test
    void nullOrEmptyQueryHasNoValues() throws Exception {
        assertThat(QueryString.parse(null).all("a")).isEmpty();
        assertThat(QueryString.parse("").all("a")).isEmpty();
    }

    @Test
    void rejectsBrokenEscapes() {
        assertThatThrownBy(() -> QueryString.parse("a=%4")).isInstanceOf(BadRequest.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> QueryString.parse("a=%zz")).isInstanceOf(BadRequest.class).hasMessageContaining("invalid");
    }

    @Test
    void numbersMustBeWholeAndNonNegative() throws Exception {
        QueryString q = QueryString.parse("a=12&b=-1&c=x");
        assertThat(q.number("a", 0)).isEqualTo(12);
        assertThat(q.number("z", 7)).isEqualTo(7);
        assertThatThrownBy(() -> q.number("b", 0)).hasMessage("b must not be negative");
        assertThatThrownBy(() -> q.number("c", 0)).hasMessage("c must be a whole number");
    }
}
