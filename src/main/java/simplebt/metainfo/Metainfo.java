package simplebt.metainfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import simplebt.bencode.BDict;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeEncoder;

/**
 * A parsed .torrent file (BEP 3, announce-list from BEP 12). Keeps the file's exact bytes so
 * it can be written back unchanged, and the info hash computed from the raw info bytes.
 */
public record Metainfo(
        byte[] raw,
        BDict root,
        Optional<String> announce,
        List<List<String>> announceList,
        Optional<String> comment,
        Optional<String> createdBy,
        Optional<Instant> creationDate,
        Info info,
        byte[] rawInfo,
        InfoHash infoHash) {

    public Metainfo {
        raw = raw.clone();
        rawInfo = rawInfo.clone();
        announceList = announceList.stream().map(List::copyOf).toList();
    }

    public static Metainfo parse(byte[] torrentFile) throws MetainfoException {
        return MetainfoParser.parse(torrentFile);
    }

    public static Metainfo read(Path file) throws IOException, MetainfoException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a folder, not a .torrent file");
        }
        long size = Files.size(file);
        if (size > MetainfoParser.MAX_TORRENT_BYTES) {
            throw new MetainfoException("", "file is " + size + " bytes; a .torrent may be at most "
                    + MetainfoParser.MAX_TORRENT_BYTES);
        }
        // The size check alone trusts the file system: /dev/zero or a pipe reports 0 and never
        // ends. Reading at most one byte past the limit bounds memory whatever the file is.
        byte[] data;
        try (InputStream in = Files.newInputStream(file)) {
            data = in.readNBytes(MetainfoParser.MAX_TORRENT_BYTES + 1);
        }
        if (data.length > MetainfoParser.MAX_TORRENT_BYTES) {
            throw new MetainfoException("", "longer than " + MetainfoParser.MAX_TORRENT_BYTES + " bytes; not a .torrent");
        }
        return parse(data);
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    @Override
    public byte[] rawInfo() {
        return rawInfo.clone();
    }

    /** Every tracker URL: the announce-list tiers flattened, or the single announce. */
    public List<String> trackers() {
        if (!announceList.isEmpty()) {
            return announceList.stream().flatMap(List::stream).distinct().toList();
        }
        return announce.map(List::of).orElse(List.of());
    }

    /**
     * The same torrent with a different announce URL and no announce-list; the info bytes are
     * copied verbatim so the info hash does not change. The tracker uses it to stamp passkeys.
     */
    public byte[] withAnnounce(String url) {
        BDict.Builder outer = BDict.builder().putAll(root.entries());
        outer.put("announce", url);
        BDict rebuilt = outer.build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('d');
        for (Map.Entry<BString, BValue> e : rebuilt.entries().entrySet()) {
            String key = e.getKey().text();
            if (key.equals("announce-list")) {
                continue;
            }
            BencodeEncoder.write(e.getKey(), out);
            if (key.equals("info")) {
                out.writeBytes(rawInfo);
            } else {
                BencodeEncoder.write(e.getValue(), out);
            }
        }
        out.write('e');
        return out.toByteArray();
    }
}
