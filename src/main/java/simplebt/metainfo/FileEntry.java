package simplebt.metainfo;

import java.util.List;

/**
 * One file of a torrent: its path components (under the torrent's name for multi-file
 * torrents), its length, and where it starts in the concatenation of all files. A padding file
 * (BEP 47, attr {@code p}) only moves the next file to a piece boundary: its bytes are zeros and
 * it is never written to disk.
 */
public record FileEntry(List<String> path, long length, long offset, boolean padding) {
    public FileEntry {
        path = List.copyOf(path);
        if (length < 0 || offset < 0) {
            throw new IllegalArgumentException("negative length or offset");
        }
    }

    public FileEntry(List<String> path, long length, long offset) {
        this(path, length, offset, false);
    }

    public String displayPath() {
        return String.join("/", path);
    }
}
