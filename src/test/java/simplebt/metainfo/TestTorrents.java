package simplebt.metainfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeEncoder;

/** Builds .torrent bytes for parser tests; maps so a test can change or remove any key. */
final class TestTorrents {
    private TestTorrents() {
    }

    /** A valid single-file info dict: 40,000 bytes in 16 KiB pieces = 3 pieces. */
    static Map<String, BValue> singleInfo() {
        Map<String, BValue> info = new LinkedHashMap<>();
        info.put("name", BString.of("file.bin"));
        info.put("piece length", new BInt(16384));
        info.put("pieces", new BString(new byte[3 * 20]));
        info.put("length", new BInt(40000));
        return info;
    }

    /** A valid multi-file info dict: 10,000 + 0 + 30,000 bytes in 16 KiB pieces = 3 pieces. */
    static Map<String, BValue> multiInfo() {
        Map<String, BValue> info = new LinkedHashMap<>();
        info.put("name", BString.of("folder"));
        info.put("piece length", new BInt(16384));
        info.put("pieces", new BString(new byte[3 * 20]));
        info.put("files", BList.of(file(10000, "a.txt"), file(0, "empty"), file(30000, "sub", "b.bin")));
        return info;
    }

    static BDict file(long length, String... path) {
        return BDict.builder().put("length", length)
                .put("path", new BList(List.of(path).stream().<BValue>map(BString::of).toList())).build();
    }

    static BDict dict(Map<String, ? extends BValue> entries) {
        BDict.Builder b = BDict.builder();
        entries.forEach(b::put);
        return b.build();
    }

    static byte[] torrent(Map<String, BValue> info) {
        return BencodeEncoder.encode(BDict.builder()
                .put("announce", "http://127.0.0.1:8000/announce")
                .put("info", dict(info))
                .build());
    }
}
