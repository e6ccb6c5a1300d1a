package simplebt.library;

/** What a remembered torrent is doing, or would do when run, in the words `node torrents` prints. */
public enum TorrentState {
    DOWNLOADING("downloading"),
    SEEDING("seeding"),
    PAUSED("paused"),
    /** Files are there but no resume data vouches for them: the next start hashes them. */
    CHECKING("checking"),
    /** The data folder, or data the resume file once vouched for, is gone. */
    MISSING_DATA("missing data"),
    MISSING_TORRENT("missing .torrent");

    private final String label;

    TorrentState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
