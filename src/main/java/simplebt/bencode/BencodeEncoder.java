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
        switch (value) {
            case BInt i -> ascii(out, "i" + i.value() + "e");
            case BString s -> {
                byte[] bytes = s.bytes();
                ascii(out, bytes.length + ":");
                out.writeBytes(bytes);
            }
            case BList l -> {
                out.write('l');
                l.values().forEach(v -> write(v, out));
                out.write('e');
            }
            case BDict d -> {
                out.write('d');
                for (Map.Entry<BString, BValue> e : d.entries().entrySet()) {
                    write(e.getKey(), out);
                    write(e.getValue(), out);
                }
                out.write('e');
            }
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
