package simplebt.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Canonical bencode encoder: dictionary keys in sorted byte order, minimal integers. */
public final class BencodeEncoder {
    private BencodeEncoder() {
    }

    public static byte[] encode(BValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(value, out);
        return out.toByteArray();
    }

    public static void write(BValue value, ByteArrayOutputStream out) {
        // instanceof tests rather than a pattern switch: the switch's bootstrap generates a
        // class at first use, ~5 ms of a cold `node create` between its last piece and its
        // .torrent (bench/create/NOTES.md). BValue is sealed: these four are all there are.
        if (value instanceof BInt i) {
            out.write('i');
            ascii(out, Long.toString(i.value()));
            out.write('e');
        } else if (value instanceof BString s) {
            byte[] bytes = s.bytes();
            ascii(out, Integer.toString(bytes.length));
            out.write(':');
            out.writeBytes(bytes);
        } else if (value instanceof BList l) {
            out.write('l');
            for (BValue v : l.values()) {
                write(v, out);
            }
            out.write('e');
        } else if (value instanceof BDict d) {
            out.write('d');
            for (Map.Entry<BString, BValue> e : d.entries().entrySet()) {
                write(e.getKey(), out);
                write(e.getValue(), out);
            }
            out.write('e');
        } else {
            throw new IllegalArgumentException("not a bencode value: " + value);
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
