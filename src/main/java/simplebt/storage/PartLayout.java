package simplebt.storage;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntPredicate;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;

/**
 * Where the part file's slices come from: every share of a wanted piece that falls in a parked
 * file (not chosen, not on disk). A share is one file's bytes within one piece, so a read or write
 * of one piece within one file meets at most one slice.
 */
final class PartLayout {
    private PartLayout() {
    }

    /** Pieces that overlap a chosen file: the ones to fetch. */
    static BitSet wantedPieces(Info info, BitSet chosen) {
        BitSet wanted = new BitSet(info.pieceCount());
        long pieceLength = info.pieceLength();
        for (int i = chosen.nextSetBit(0); i >= 0; i = chosen.nextSetBit(i + 1)) {
            FileEntry f = info.files().get(i);
            if (f.length() > 0 && !f.padding()) {
                wanted.set((int) (f.offset() / pieceLength), (int) ((f.offset() + f.length() - 1) / pieceLength) + 1);
            }
        }
        return wanted;
    }

    /** Slices for {@code wanted} pieces in the files {@code parked} says yes to, in torrent order. */
    static List<PartFile.Slice> of(Info info, BitSet wanted, IntPredicate parked) {
        List<PartFile.Slice> out = new ArrayList<>();
        long pieceLength = info.pieceLength();
        for (int i = 0; i < info.files().size(); i++) {
            FileEntry f = info.files().get(i);
            if (f.padding() || f.length() == 0 || !parked.test(i)) {
                continue;
            }
            long end = f.offset() + f.length();
            for (int p = (int) (f.offset() / pieceLength); (long) p * pieceLength < end; p++) {
                if (wanted.get(p)) {
                    out.add(share(info, p, f));
                }
            }
        }
        return out;
    }

    /** True when the slice is exactly one real file's share of its piece (how a read part file is checked). */
    static boolean isShare(Info info, PartFile.Slice s) {
        if (s.piece() < 0 || s.piece() >= info.pieceCount() || s.begin() < 0 || s.length() <= 0
                || (long) s.begin() + s.length() > info.pieceSize(s.piece())) {
            return false;
        }
        int file = fileOf(info, s);
        return file >= 0 && !info.files().get(file).padding() && share(info, s.piece(), info.files().get(file)).equals(s);
    }

    /** Index of the file holding the slice's first byte, or -1 (used at start only: a linear walk is fine). */
    static int fileOf(Info info, PartFile.Slice s) {
        long at = (long) s.piece() * info.pieceLength() + s.begin();
        for (int i = 0; i < info.files().size(); i++) {
            FileEntry f = info.files().get(i);
            if (f.length() > 0 && f.offset() <= at && at < f.offset() + f.length()) {
                return i;
            }
        }
        return -1;
    }

    private static PartFile.Slice share(Info info, int piece, FileEntry f) {
        long pieceStart = (long) piece * info.pieceLength();
        long from = Math.max(f.offset(), pieceStart);
        long to = Math.min(f.offset() + f.length(), pieceStart + info.pieceSize(piece));
        return new PartFile.Slice(piece, (int) (from - pieceStart), (int) (to - from));
    }
}
