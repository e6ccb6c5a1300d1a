package simplebt.bencode;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Canonical output (BEP 3) and round trips in both directions. */
class BencodeEncoderTest {
    private static String encode(BValue v) {
        return new String(BencodeEncoder.encode(v), ISO_8859_1);
    }

    @Test
    void integersAreMinimal() {
        assertThat(encode(new BInt(0))).isEqualTo("i0e");
        assertThat(encode(new BInt(-7))).isEqualTo("i-7e");
        assertThat(encode(new BInt(Long.MAX_VALUE))).isEqualTo("i9223372036854775807e");
        assertThat(encode(new BInt(Long.MIN_VALUE))).isEqualTo("i-9223372036854775808e");
    }

    @Test
    void stringsAreLengthPrefixedBytes() {
        assertThat(encode(BString.of(""))).isEqualTo("0:");
        assertThat(encode(BString.of("spam"))).isEqualTo("4:spam");
        // "é" is two bytes in UTF-8: the prefix counts bytes, not chars.
        assertThat(BencodeEncoder.encode(BString.of("é"))).containsExactly('2', ':', 0xc3, 0xa9);
    }

    @Test
    void listsKeepTheirOrder() {
        assertThat(encode(BList.of(new BInt(2), new BInt(1), BString.of("a")))).isEqualTo("li2ei1e1:ae");
    }

    @Test
    void dictionaryKeysComeOutSortedWhateverTheInsertionOrder() {
        BDict d = BDict.builder().put("zebra", 1).put("apple", 2).put("Mango", 3).build();
        // 'M' (0x4d) sorts before 'a' (0x61): raw byte order
        assertThat(encode(d)).isEqualTo("d5:Mangoi3e5:applei2e5:zebrai1ee");
    }

    @Test
    void dictionaryKeysSortUnsigned() {
        TreeMap<BString, BValue> m = new TreeMap<>();
        m.put(new BString(new byte[] {(byte) 0x80}), new BInt(1));
        m.put(BString.of("z"), new BInt(2));
        assertThat(BencodeEncoder.encode(new BDict(m))).containsExactly(
                'd', '1', ':', 'z', 'i', '2', 'e', '1', ':', 0x80, 'i', '1', 'e', 'e');
    }

    @Test
    void builderLaterPutReplacesEarlier() {
        assertThat(encode(BDict.builder().put("a", 1).put("a", 2).build())).isEqualTo("d1:ai2ee");
    }

    @Test
    void valuesRoundTripThroughBytes() throws Exception {
        BValue v = BDict.builder()
                .put("announce", "http://127.0.0.1:8000/announce")
                .put("info", BDict.builder()
                        .put("files", new BList(List.of(
                                BDict.builder().put("length", 5).put("path", BList.of(BString.of("a"), BString.of("b"))).build())))
                        .put("pieces", new byte[] {0, 1, (byte) 0xff})
                        .build())
                .put("n", Long.MIN_VALUE)
                .build();
        byte[] encoded = BencodeEncoder.encode(v);
        assertThat(BencodeDecoder.decode(encoded)).isEqualTo(v);
    }

    @Test
    void bytesRoundTripThroughValues() throws Exception {
        for (String s : List.of("i0e", "i-1e", "0:", "le", "de", "ld1:ai0eee", "d1:a0:1:bl3:xyzi9ee2:zzdee")) {
            byte[] in = s.getBytes(ISO_8859_1);
            assertThat(BencodeEncoder.encode(BencodeDecoder.decode(in))).as(s).isEqualTo(in);
        }
    }

    @Test
    void rawValueReturnsTheExactBytesOfAKey() throws Exception {
        byte[] in = "d8:announce3:url4:infod6:lengthi1e4:name1:xe1:zi0ee".getBytes(ISO_8859_1);
        assertThat(new String(BencodeDecoder.rawValue(in, "info"), ISO_8859_1)).isEqualTo("d6:lengthi1e4:name1:xe");
        assertThat(new String(BencodeDecoder.rawValue(in, "z"), ISO_8859_1)).isEqualTo("i0e");
    }

    @Test
    void rawValueOfAMissingKey() {
        byte[] in = "d1:ai1ee".getBytes(ISO_8859_1);
        BencodeException e = org.assertj.core.api.Assertions.catchThrowableOfType(BencodeException.class,
                () -> BencodeDecoder.rawValue(in, "info"));
        assertThat(e.kind()).isEqualTo(BencodeException.Kind.MISSING_KEY);
        assertThat(e.offset()).isEqualTo(7);
    }

    @Test
    void rawValueOfANonDictionary() {
        BencodeException e = org.assertj.core.api.Assertions.catchThrowableOfType(BencodeException.class,
                () -> BencodeDecoder.rawValue("le".getBytes(ISO_8859_1), "info"));
        assertThat(e.kind()).isEqualTo(BencodeException.Kind.EXPECTED_VALUE);
        assertThat(e.offset()).isZero();
    }

    @Test
    void bStringIsAValueNotAnArrayIdentity() {
        byte[] b = {1, 2};
        BString s = new BString(b);
        b[0] = 9; // the record copied the array
        assertThat(s).isEqualTo(new BString(new byte[] {1, 2}));
        assertThat(s.hashCode()).isEqualTo(new BString(new byte[] {1, 2}).hashCode());
        assertThat(s.toString()).isEqualTo("BString[hex:0102]");
        assertThat(BString.of("ok").toString()).isEqualTo("BString[ok]");
    }
}
