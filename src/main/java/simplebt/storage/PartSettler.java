package simplebt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import simplebt.log.Log;
import simplebt.metainfo.Info;

/**
 * Brings the part file in line with this run's selection, once at start, after the resume data
 * was read and before any peer: (1) every claimed piece with bytes in the part file is hashed
 * again, so a damaged part file costs a re-fetch and never serves wrong data; (2) slices of files
 * that are chosen now (a wider selection) move into those files, which are synced; (3) a new part
 * file with the slices this selection needs is written beside the old one and renamed over it
 * (or the old one is deleted when none are needed). A crash between the steps leaves the old
 * part file and moved bytes that are written again; the resume file, saved after, vouches only
 * for what is in place.
 */
final class PartSettler {
    private final Storage storage;
    private final Info info;

    PartSettler(Storage storage) {
        this.storage = storage;
        this.info = storage.info();
    }

    /** @return true when files changed; {@code claimed} loses the pieces whose bytes are gone or wrong */
    boolean settle(BitSet claimed) throws IOException {
        PartFile old = storage.parts();
        if (old.path() == null) {
            return false; // a storage without a part file takes every file
        }
        List<PartFile.Slice> next = PartLayout.of(info, storage.wantedPieces(), storage::parked);
        if (old.isEmpty() && next.isEmpty()) {
            // Nothing parked (the usual download): touch nothing, unless a damaged file (reported) is there.
            return PartFile.exists(old.path()) && Files.deleteIfExists(old.path());
        }
        recheck(old, claimed);
        if (next.equals(old.slices())) {
            return false; // the usual restart: same selection, same part file
        }
        Set<PartFile.Slice> kept = new HashSet<>(next);
        boolean moved = false;
        for (PartFile.Slice s : old.slices()) {
            int file = PartLayout.fileOf(info, s);
            if (!storage.parked(file) && claimed.get(s.piece())) {
                moveToFile(old, s, file);
                moved = true;
            } else if (!kept.contains(s)) {
                claimed.clear(s.piece()); // its bytes go with the old part file
            }
        }
        if (moved) {
            storage.sync(); // the moved bytes are in their files before the part file lets go of them
        }
        if (next.isEmpty()) {
            Files.deleteIfExists(old.path());
            storage.replaceParts(PartFile.empty(old.path(), old.infoHash(), info));
        } else {
            write(old, next, claimed);
        }
        return true;
    }

    private void recheck(PartFile parts, BitSet claimed) throws IOException {
        Set<Integer> pieces = new HashSet<>();
        parts.slices().forEach(s -> pieces.add(s.piece()));
        byte[] buffer = new byte[info.pieceLength()];
        MessageDigest sha1 = PieceChecker.sha1();
        int failed = 0;
        for (int piece : pieces) {
            if (claimed.get(piece)) {
                int size = info.pieceSize(piece);
                boolean good;
                try {
                    storage.read(piece, 0, buffer, 0, size);
                    good = PieceChecker.matches(info, piece, buffer, size, sha1);
                } catch (IOException e) {
                    good = false; // a short part file: fetch it again
                }
                if (!good) {
                    claimed.clear(piece);
                    failed++;
                }
            }
        }
        if (failed > 0) {
            Log.warn(failed + " piece(s) with bytes in " + parts.path() + " failed their check; fetching them again");
        }
    }

    private void moveToFile(PartFile old, PartFile.Slice s, int file) throws IOException {
        long at = (long) s.piece() * info.pieceLength() + s.begin();
        ByteBuffer data = ByteBuffer.allocate(s.length());
        old.transfer(at, data, false);
        storage.writeToFile(file, at - info.files().get(file).offset(), data.flip());
    }

    /** The new part file: written whole beside the old, forced to disk, renamed over it. */
    private void write(PartFile old, List<PartFile.Slice> next, BitSet claimed) throws IOException {
        ResumeFile.replace(old.path(), ch -> {
            write(ch, PartFile.header(old.infoHash(), info.pieceLength(), next), 0);
            long position = PartFile.headerSize(next.size());
            for (PartFile.Slice s : next) {
                long at = (long) s.piece() * info.pieceLength() + s.begin();
                if (claimed.get(s.piece()) && old.holds(at, s.length())) {
                    ByteBuffer data = ByteBuffer.allocate(s.length());
                    old.transfer(at, data, false);
                    write(ch, data.flip(), position);
                } else {
                    claimed.clear(s.piece()); // not held before: not had (resume present() said so already)
                }
                position += s.length();
            }
            ch.force(true); // on disk before it replaces the old one
        });
        storage.replaceParts(PartFile.opened(old.path(), old.infoHash(), info, next));
    }

    private static void write(FileChannel ch, ByteBuffer data, long position) throws IOException {
        while (data.hasRemaining()) {
            position += ch.write(data, position);
        }
    }
}
