package simplebt.tracker;

import java.nio.charset.StandardCharsets;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeEncoder;

/** Small valid .torrent files for tracker tests (the content itself is never fetched). */
public final class TestTorrents {
    private TestTorrents() {
    }

    /** A single-file torrent of {@code length} bytes with 16 KiB pieces and dummy hashes. */
    public static byte[] singleFile(String name, long length) {
        int pieceLength = 16384;
        int pieces = (int) Math.max(1, (length + pieceLength - 1) / pieceLength);
        byte[] hashes = new byte[pieces * 20];
        byte[] seed = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = (byte) (seed[i % seed.length] + i);
        }
        BDict info = BDict.builder().put("name", name).put("length", length).put("piece length", pieceLength)
                .put("pieces", hashes).build();
        return BencodeEncoder.encode(BDict.builder().put("announce", "http://example.invalid/announce")
                .put("comment", "test torrent").put("info", info).build());
    }
}
