package simplebt.swarm;

import java.util.Arrays;

import simplebt.wire.MetadataMessage;

/**
 * Serves our info dictionary to peers that ask by BEP 9 {@code ut_metadata} (a magnet link
 * downloader). Private torrents serve it too (BEP 27 only forbids finding peers by DHT/PEX; a
 * peer that connected already knew the info hash). Immutable: shared by every connection thread.
 */
final class MetadataServer {
    /** Our id for ut_metadata in the extension handshake's m dictionary. */
    static final int EXTENSION_ID = 1;

    private final byte[] info;

    MetadataServer(byte[] rawInfo) {
        this.info = rawInfo.clone();
    }

    int size() {
        return info.length;
    }

    int pieceCount() {
        return (info.length + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
    }

    /** How many requests one connection may make: every piece twice over, and some slack. */
    int requestBudget() {
        return 2 * pieceCount() + 16;
    }

    /** The piece, or a reject for one past the end. */
    MetadataMessage answer(int piece) {
        if (piece >= pieceCount()) {
            return new MetadataMessage.Reject(piece);
        }
        int from = piece * MetadataMessage.PIECE_SIZE;
        int to = Math.min(info.length, from + MetadataMessage.PIECE_SIZE);
        return new MetadataMessage.Data(piece, info.length, Arrays.copyOfRange(info, from, to));
    }
}
