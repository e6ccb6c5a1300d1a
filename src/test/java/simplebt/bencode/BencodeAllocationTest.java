package simplebt.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import simplebt.bencode.BencodeException.Kind;

/**
 * Decoding allocates a bounded amount (issue 14): a 10 MiB upload of {@code l0:0:...e} held
 * 5 million empty strings: 368 MB allocated (measured) before anything looked at it.
 */
class BencodeAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** {@code l} + {@code 0:} repeated + {@code e}, {@code size} bytes in all. */
    private static byte[] emptyStrings(int size) {
        byte[] b = new byte[size];
        b[0] = 'l';
        for (int i = 1; i + 1 < size - 1; i += 2) {
            b[i] = '0';
            b[i + 1] = ':';
        }
        b[size - 1] = 'e';
        return b;
    }

    @Test
    void tenMebibytesOfEmptyStringsStopAtTheValueLimit() {
        byte[] upload = emptyStrings((10 << 20) + 2);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        BencodeException e = catchThrowableOfType(BencodeException.class, () -> BencodeDecoder.decode(upload));
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(e).as("decoding must stop").isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.VALUE_LIMIT);
        assertThat(e.offset()).isEqualTo(1 + 2L * (BencodeDecoder.DEFAULT_MAX_VALUES - 1)); // the value past the limit
        assertThat(e.getMessage()).startsWith("more values than the decoder's limit");
        // measured: 368 MB without a limit, 65 MB with it
        assertThat(allocated).isLessThan(100L << 20);
    }

    @Test
    void lenientDecodingHasTheSameLimit() {
        BencodeException e = catchThrowableOfType(BencodeException.class,
                () -> BencodeDecoder.decode(emptyStrings((10 << 20) + 2), BencodeDecoder.Options.LENIENT));
        assertThat(e.kind()).isEqualTo(Kind.VALUE_LIMIT);
    }

    @Test
    void dictionaryKeysCountAsValues() {
        // d 1:a i0e 1:b i0e ... : two values per entry
        StringBuilder s = new StringBuilder("d");
        for (char c = 'a'; c <= 'j'; c++) {
            s.append("1:").append(c).append("i0e");
        }
        byte[] input = s.append('e').toString().getBytes(StandardCharsets.US_ASCII);
        BencodeDecoder.Options opts = BencodeDecoder.Options.STRICT.withMaxValues(21); // the dict + 10 keys + 10 ints
        assertThat(catchThrowableOfType(BencodeException.class,
                () -> BencodeDecoder.decode(input, opts))).isNull();
        BencodeException e = catchThrowableOfType(BencodeException.class,
                () -> BencodeDecoder.decode(input, opts.withMaxValues(20)));
        assertThat(e.kind()).isEqualTo(Kind.VALUE_LIMIT);
        assertThat(e.offset()).isEqualTo(1 + 9 * 6 + 3); // the last integer, i0e after 1:j
    }

    @Test
    void aFileListOfOneHundredThousandFilesStillDecodes() throws BencodeException {
        // the shape of a big multi-file torrent: d6:lengthi..e4:pathl..ee per file
        StringBuilder s = new StringBuilder("l");
        for (int i = 0; i < 100_000; i++) {
            s.append("d6:lengthi").append(i + 1).append("e4:pathl3:dir").append(String.valueOf(i).length() + 4)
                    .append(":f").append(i).append(".txee");
        }
        byte[] input = s.append('e').toString().getBytes(StandardCharsets.US_ASCII);
        assertThat(((BList) BencodeDecoder.decode(input)).size()).isEqualTo(100_000);
    }
}
