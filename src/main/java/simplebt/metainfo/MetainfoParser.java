package simplebt.metainfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import simplebt.bencode.BDict;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeException;

/** Turns .torrent bytes into a validated {@link Metainfo}, or one error naming the field. */
final class MetainfoParser {
    static final int MAX_TORRENT_BYTES = 64 << 20;
    static final int MAX_PIECE_LENGTH = 128 << 20;
    /** Paths nest at most this deep; real torrents stay far below. */
    static final int MAX_PATH_DEPTH = 64;

    private MetainfoParser() {
    }

    static Metainfo parse(byte[] data) throws MetainfoException {
        if (data.length > MAX_TORRENT_BYTES) {
            throw new MetainfoException("", "file larger than " + MAX_TORRENT_BYTES + " bytes");
        }
        BValue top;
        try {
            top = BencodeDecoder.decode(data);
        } catch (BencodeException e) {
            throw new MetainfoException("", "not valid bencode: " + e.getMessage(), e);
        }
        if (!(top instanceof BDict root)) {
            throw new MetainfoException("", "not a torrent: top level is not a dictionary");
        }
        // Checked before rawValue, which would report a missing key as a bencode error.
        BDict infoDict = root.dict("info").orElseThrow(() -> new MetainfoException("info", "missing or not a dictionary"));
        byte[] rawInfo;
        try {
            rawInfo = BencodeDecoder.rawValue(data, "info");
        } catch (BencodeException e) {
            throw new IllegalStateException("decoded input failed to decode again", e);
        }
        Info info = parseInfo(infoDict);
        return new Metainfo(data, root,
                optionalText(root, "announce"),
                announceList(root),
                optionalText(root, "comment"),
                optionalText(root, "created by"),
                root.integer("creation date").filter(t -> t >= 0 && t < 1L << 40).map(Instant::ofEpochSecond),
                info, rawInfo, InfoHash.of(rawInfo));
    }

    private static Info parseInfo(BDict d) throws MetainfoException {
        String name = requiredText(d, "name", "info.name");
        checkComponent("info.name", name);
        long pieceLength = d.integer("piece length").orElseThrow(() -> new MetainfoException("info.piece length", "missing or not an integer"));
        if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
            throw new MetainfoException("info.piece length", "must be between 1 and " + MAX_PIECE_LENGTH + ", got " + pieceLength);
        }
        byte[] pieces = d.string("pieces").orElseThrow(() -> new MetainfoException("info.pieces", "missing or not a byte string")).bytes();
        if (pieces.length % InfoHash.LENGTH != 0) {
            throw new MetainfoException("info.pieces", "length " + pieces.length + " is not a multiple of 20");
        }
        boolean isPrivate = d.integer("private").orElse(0L) == 1L;
        boolean multi = d.has("files");
        if (multi && d.has("length")) {
            throw new MetainfoException("info", "has both 'length' and 'files'");
        }
        List<FileEntry> files = multi ? files(d) : List.of(new FileEntry(List.of(name), singleLength(d), 0));
        long total = files.get(files.size() - 1).offset() + files.get(files.size() - 1).length();
        if (total == 0) {
            throw new MetainfoException("info.length", "torrent holds no data");
        }
        long expectedPieces = Math.ceilDiv(total, pieceLength); // (total + pl - 1) / pl overflows near Long.MAX_VALUE
        if (expectedPieces != pieces.length / InfoHash.LENGTH) {
            throw new MetainfoException("info.pieces", "has " + pieces.length / InfoHash.LENGTH
                    + " hashes but " + total + " bytes at piece length " + pieceLength + " need " + expectedPieces);
        }
        return new Info(name, (int) pieceLength, pieces, files, multi, isPrivate);
    }

    private static long singleLength(BDict d) throws MetainfoException {
        long length = d.integer("length").orElseThrow(() -> new MetainfoException("info.length", "missing or not an integer"));
        if (length < 0) {
            throw new MetainfoException("info.length", "negative: " + length);
        }
        return length;
    }

    private static List<FileEntry> files(BDict d) throws MetainfoException {
        BList list = d.list("files").orElseThrow(() -> new MetainfoException("info.files", "not a list"));
        if (list.size() == 0) {
            throw new MetainfoException("info.files", "empty list");
        }
        List<FileEntry> files = new ArrayList<>(list.size());
        Set<String> paths = new HashSet<>();
        Set<String> dirs = new HashSet<>();
        long offset = 0;
        for (int i = 0; i < list.size(); i++) {
            String field = "info.files[" + i + "]";
            if (!(list.get(i) instanceof BDict f)) {
                throw new MetainfoException(field, "not a dictionary");
            }
            long length = f.integer("length").orElseThrow(() -> new MetainfoException(field + ".length", "missing or not an integer"));
            if (length < 0) {
                throw new MetainfoException(field + ".length", "negative: " + length);
            }
            if (offset > Long.MAX_VALUE - length) {
                throw new MetainfoException(field + ".length", "total length overflows");
            }
            List<String> path = path(f, field + ".path");
            // BEP 47: padding files (often several ".pad/16384" of one size) hold zeros and are never
            // written, so they take no place in the file tree and may repeat.
            boolean padding = f.text("attr").map(a -> a.indexOf('p') >= 0).orElse(false);
            if (padding) {
                files.add(new FileEntry(path, length, offset, true));
                offset += length;
                continue;
            }
            String joined = String.join("/", path);
            if (!paths.add(joined) || dirs.contains(joined)) {
                throw new MetainfoException(field + ".path", "'" + joined + "' is listed twice or is also a directory");
            }
            for (int k = 1; k < path.size(); k++) {
                String dir = String.join("/", path.subList(0, k));
                if (paths.contains(dir)) {
                    throw new MetainfoException(field + ".path", "'" + dir + "' is both a file and a directory");
                }
                dirs.add(dir);
            }
            files.add(new FileEntry(path, length, offset));
            offset += length;
        }
        return files;
    }

    private static List<String> path(BDict f, String field) throws MetainfoException {
        BList list = f.list("path").orElseThrow(() -> new MetainfoException(field, "missing or not a list"));
        if (list.size() == 0 || list.size() > MAX_PATH_DEPTH) {
            throw new MetainfoException(field, "must have 1 to " + MAX_PATH_DEPTH + " components");
        }
        List<String> path = new ArrayList<>(list.size());
        for (BValue v : list.values()) {
            if (!(v instanceof BString s)) {
                throw new MetainfoException(field, "component is not a byte string");
            }
            checkComponent(field, s.text());
            path.add(s.text());
        }
        return path;
    }

    private static void checkComponent(String field, String component) throws MetainfoException {
        String problem = PathRules.problem(component);
        if (problem != null) {
            throw new MetainfoException(field, problem);
        }
    }

    private static String requiredText(BDict d, String key, String field) throws MetainfoException {
        return d.text(key).orElseThrow(() -> new MetainfoException(field, "missing or not a byte string"));
    }

    private static Optional<String> optionalText(BDict d, String key) {
        return d.text(key);
    }

    private static List<List<String>> announceList(BDict root) {
        List<List<String>> tiers = new ArrayList<>();
        for (BValue tier : root.list("announce-list").map(BList::values).orElse(List.of())) {
            if (tier instanceof BList urls) {
                List<String> t = urls.values().stream().filter(BString.class::isInstance)
                        .map(v -> ((BString) v).text()).filter(s -> !s.isBlank()).toList();
                if (!t.isEmpty()) {
                    tiers.add(t);
                }
            }
        }
        return tiers;
    }
}
