package simplebt.wire;

import simplebt.metainfo.Info;

/** What the codec needs to know about a torrent to validate messages: its piece geometry. */
public record TorrentShape(int pieceCount, int pieceLength, long totalLength) {
    public TorrentShape {
        if (pieceCount < 0 || pieceLength <= 0 || totalLength < 0) {
            throw new IllegalArgumentException("bad shape " + pieceCount + "/" + pieceLength + "/" + totalLength);
        }
    }

    public static TorrentShape of(Info info) {
        return new TorrentShape(info.pieceCount(), info.pieceLength(), info.totalLength());
    }

    public int pieceSize(int index) {
        return (int) Math.min(pieceLength, totalLength - (long) index * pieceLength);
    }

    public int bitfieldBytes() {
        return (pieceCount + 7) / 8;
    }

    public int blocksIn(int index) {
        return (pieceSize(index) + Message.MAX_BLOCK - 1) / Message.MAX_BLOCK;
    }
}
