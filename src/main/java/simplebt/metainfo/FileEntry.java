package simplebt.metainfo;

import java.util.List;

/**
 * One file of a torrent: its path components (under the torrent's name for multi-file
 * torrents), its length, and where it starts in the concatenation of all files.
 */
public record FileEntry(List<String> path, long length, long offset) {
    public FileEntry {
        path = List.copyOf(path);
        if (length < 0 || offset < 0) {
            throw new IllegalArgumentException("negative length or offset");
        }
    }

    public String displayPath() {
        return String.join("/", path);
    }
}
