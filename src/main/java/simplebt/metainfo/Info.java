package simplebt.metainfo;

import java.util.Arrays;
import java.util.List;

/**
 * The info dictionary: name, piece length, piece hashes and files (BEP 3). Single-file
 * torrents have one file whose path is just the name; multi-file torrents put files under
 * a directory called name.
 */
public record Info(String name, int pieceLength, byte[] pieceHashes, List<FileEntry> files,
                   boolean multiFile, boolean isPrivate) {
    public Info {
        pieceHashes = pieceHashes.clone();
        files = List.copyOf(files);
    }

    @Override
    public byte[] pieceHashes() {
        return pieceHashes.clone();
    }

    public int pieceCount() {
        return pieceHashes.length / InfoHash.LENGTH;
    }

    public long totalLength() {
        FileEntry last = files.get(files.size() - 1);
        return last.offset() + last.length();
    }

    /** Length of piece {@code index}: the piece length, except for a shorter last piece. */
    public int pieceSize(int index) {
        if (index < 0 || index >= pieceCount()) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount());
        }
        long start = (long) index * pieceLength;
        return (int) Math.min(pieceLength, totalLength() - start);
    }

    public byte[] pieceHash(int index) {
        // Arrays.copyOfRange pads past the end with zeros instead of failing; check first.
        if (index < 0 || index >= pieceCount()) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount());
        }
        return Arrays.copyOfRange(pieceHashes, index * InfoHash.LENGTH, (index + 1) * InfoHash.LENGTH);
    }

    /** Path of a file relative to the download folder (name first for multi-file torrents). */
    public List<String> relativePath(FileEntry file) {
        if (!multiFile) {
            return List.of(name);
        }
        var path = new java.util.ArrayList<String>(file.path().size() + 1);
        path.add(name);
        path.addAll(file.path());
        return path;
    }
}
