package simplebt.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static simplebt.bencode.BencodeDecoderTest.bytes;

import org.junit.jupiter.api.Test;

import simplebt.bencode.BencodeDecoder.Options;
import simplebt.bencode.BencodeException.Kind;

/**
 * Other programs' bencode (tracker replies, BEP 10 handshakes) is decoded leniently where real
 * trackers and clients stray from BEP 3's canonical form; our own data stays strict (issue 14).
 */
class BencodeLenientTest {
    private static BValue lenient(String s) throws BencodeException {
        return BencodeDecoder.decode(bytes(s), Options.LENIENT);
    }

    private static Kind strictError(String s) {
        return catchThrowableOfType(BencodeException.class, () -> BencodeDecoder.decode(bytes(s))).kind();
    }

    @Test
    void replyEndingInANewlineDecodes() throws BencodeException {
        assertThat(lenient("d8:intervali60ee\n")).isEqualTo(BDict.builder().put("interval", 60).build());
        assertThat(lenient("d8:intervali60ee\r\n \t")).isEqualTo(BDict.builder().put("interval", 60).build());
        assertThat(strictError("d8:intervali60ee\n")).isEqualTo(Kind.TRAILING_DATA);
    }

    @Test
    void unsortedKeysDecodeIntoTheSortedDictionary() throws BencodeException {
        BDict d = (BDict) lenient("d8:intervali60e5:peers0:8:completei1ee");
        assertThat(d.entries().keySet()).extracting(BString::text).containsExactly("complete", "interval", "peers");
        assertThat(strictError("d8:intervali60e5:peers0:8:completei1ee")).isEqualTo(Kind.UNSORTED_KEYS);
    }

    @Test
    void theFirstOfDuplicateKeysWins() throws BencodeException {
        assertThat(((BDict) lenient("d1:ai1e1:ai2ee")).integer("a")).contains(1L);
        assertThat(strictError("d1:ai1e1:ai2ee")).isEqualTo(Kind.DUPLICATE_KEY);
    }

    @Test
    void lenientIsStillBencode() {
        Kind trailing = catchThrowableOfType(BencodeException.class, () -> lenient("d8:intervali60ee\nx")).kind();
        assertThat(trailing).isEqualTo(Kind.TRAILING_DATA);
        assertThat(catchThrowableOfType(BencodeException.class, () -> lenient("i03e")).kind()).isEqualTo(Kind.LEADING_ZERO);
        assertThat(catchThrowableOfType(BencodeException.class, () -> lenient("d1:ai1e")).kind()).isEqualTo(Kind.UNEXPECTED_EOF);
        assertThat(catchThrowableOfType(BencodeException.class, () -> lenient(" i1e")).kind()).isEqualTo(Kind.EXPECTED_VALUE);
    }
}
