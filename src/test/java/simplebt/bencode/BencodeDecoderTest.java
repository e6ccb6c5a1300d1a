package simplebt.bencode;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/** Well-formed input: every type decodes to the value it spells. */
class BencodeDecoderTest {
    static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1); // one char per byte, so offsets in tests are string indexes
    }

    static BValue decode(String s) throws BencodeException {
        return BencodeDecoder.decode(bytes(s));
    }

    @Test
    void decodesIntegers() throws Exception {
        assertThat(decode("i0e")).isEqualTo(new BInt(0));
        assertThat(decode("i42e")).isEqualTo(new BInt(42));
        assertThat(decode("i-42e")).isEqualTo(new BInt(-42));
    }

    @Test
    void decodesTheWholeSigned64BitRange() throws Exception {
        assertThat(decode("i9223372036854775807e")).isEqualTo(new BInt(Long.MAX_VALUE));
        assertThat(decode("i-9223372036854775808e")).isEqualTo(new BInt(Long.MIN_VALUE));
    }

    @Test
    void decodesByteStrings() throws Exception {
        assertThat(decode("0:")).isEqualTo(BString.of(""));
        assertThat(decode("4:spam")).isEqualTo(BString.of("spam"));
        assertThat(decode("3:i1e")).isEqualTo(BString.of("i1e")); // content is opaque, not parsed
    }

    @Test
    void keepsBinaryStringsAsBytes() throws Exception {
        byte[] input = {'4', ':', 0, (byte) 0xff, (byte) 0x80, 'e'};
        BString s = (BString) BencodeDecoder.decode(input);
        assertThat(s.bytes()).containsExactly(0, 0xff, 0x80, 'e');
    }

    @Test
    void decodesLists() throws Exception {
        assertThat(decode("le")).isEqualTo(BList.of());
        assertThat(decode("l4:spami42ee")).isEqualTo(BList.of(BString.of("spam"), new BInt(42)));
        assertThat(decode("llelee")).isEqualTo(BList.of(BList.of(), BList.of()));
    }

    @Test
    void decodesDictionaries() throws Exception {
        assertThat(decode("de")).isEqualTo(BDict.builder().build());
        BDict d = (BDict) decode("d3:bar4:spam3:fooi42ee");
        assertThat(d.text("bar")).contains("spam");
        assertThat(d.integer("foo")).contains(42L);
        assertThat(d.entries().keySet()).containsExactly(BString.of("bar"), BString.of("foo"));
    }

    @Test
    void keysSortAsUnsignedBytes() throws Exception {
        // "Z" (0x5a) < "a" (0x61) < "\u00e9" as 0xe9: raw unsigned byte order, not Unicode or case order.
        BDict d = (BDict) BencodeDecoder.decode(new byte[] {
                'd', '1', ':', 'Z', 'i', '1', 'e',
                '1', ':', 'a', 'i', '2', 'e',
                '1', ':', (byte) 0xe9, 'i', '3', 'e', 'e'});
        assertThat(d.entries()).hasSize(3);
    }

    @Test
    void aKeyThatIsAPrefixSortsFirst() throws Exception {
        assertThat(decode("d1:ai1e2:aai2ee")).isInstanceOf(BDict.class);
    }

    @Test
    void decodesNestedStructures() throws Exception {
        BDict d = (BDict) decode("d4:listl1:ad1:bi1eee4:spamd0:0:ee");
        assertThat(d.list("list").orElseThrow().get(1)).isEqualTo(BDict.builder().put("b", 1).build());
        assertThat(d.dict("spam").orElseThrow().text("")).contains("");
    }

    @Test
    void decodesFromAByteBufferWithoutConsumingIt() throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(bytes("xxi7e")).position(2);
        assertThat(BencodeDecoder.decode(buffer)).isEqualTo(new BInt(7));
        assertThat(buffer.position()).isEqualTo(2);
    }

    @Test
    void acceptsNestingUpToTheDepthLimit() throws Exception {
        int depth = BencodeDecoder.DEFAULT_MAX_DEPTH;
        BValue v = decode("l".repeat(depth) + "e".repeat(depth));
        for (int i = 1; i < depth; i++) {
            v = ((BList) v).get(0);
        }
        assertThat(v).isEqualTo(BList.of());
    }

    @Test
    void decodePrefixStopsAfterOneValue() throws Exception {
        // BEP 9 data message: bencoded header, then raw piece bytes.
        byte[] input = bytes("d8:msg_typei1e5:piecei0eeRAW");
        BencodeDecoder.Prefix p = BencodeDecoder.decodePrefix(input, 0);
        assertThat(p.end()).isEqualTo(input.length - 3);
        assertThat(((BDict) p.value()).integer("msg_type")).contains(1L);
    }

    @Test
    void decodePrefixStartsAtTheGivenOffset() throws Exception {
        BencodeDecoder.Prefix p = BencodeDecoder.decodePrefix(bytes("i1ei22e"), 3);
        assertThat(p.value()).isEqualTo(new BInt(22));
        assertThat(p.end()).isEqualTo(7);
    }

    @Test
    void honoursACustomStringLimit() throws Exception {
        assertThat(BencodeDecoder.decode(bytes("3:abc"), 10, 3)).isEqualTo(BString.of("abc"));
    }
}
