package simplebt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import simplebt.log.Log;
import simplebt.metainfo.Info;
import simplebt.metainfo.InfoHash;

/**
 * Opens a torrent's part file and checks its index before anything is read through it: magic,
 * version, info hash, piece length, a bounded slice count, the CRC, and that every slice is a real
 * file's share of its piece in torrent order. A file that fails any of these is not trusted: one
 * warning, and the bytes it held are fetched again (the pieces they belong to are not had). Its
 * data is not trusted either: {@link PartSettler} checks the hash of every piece with a slice here.
 */
public final class PartFileReader {
    private PartFileReader() {
    }

    /** Why a part file was not trusted. */
    static final class Damaged extends Exception {
        Damaged(String reason) {
            super(reason);
        }
    }

    /** The part file at {@code path}, or an empty one when there is none or it is damaged. */
    public static PartFile open(Path path, InfoHash infoHash, Info info) throws IOException {
        if (Files.isSymbolicLink(path.getParent())) { // as ResumeFile: our state folder is never reached through a link
            throw new IOException("refusing to follow symbolic link " + path.getParent());
        }
        if (!PartFile.exists(path)) {
            return PartFile.empty(path, infoHash, info);
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("refusing to use " + path + ": not a regular file");
        }
        try {
            return PartFile.opened(path, infoHash, info, index(path, infoHash, info));
        } catch (Damaged e) {
            Log.warn("part file " + path + " is damaged (" + e.getMessage()
                    + "); the pieces it held are fetched again");
            return PartFile.empty(path, infoHash, info);
        }
    }

    static List<PartFile.Slice> index(Path path, InfoHash infoHash, Info info) throws IOException, Damaged {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            ByteBuffer fixed = readFully(ch, 0, (int) Math.min(size, PartFile.headerSize(0) - 4));
            if (fixed.remaining() < PartFile.headerSize(0) - 4) {
                throw new Damaged("only " + size + " bytes");
            }
            byte[] magic = new byte[PartFile.MAGIC.length];
            fixed.get(magic);
            byte[] hash = new byte[InfoHash.LENGTH];
            int version = fixed.getInt();
            fixed.get(hash);
            int pieceLength = fixed.getInt();
            int count = fixed.getInt();
            if (!Arrays.equals(magic, PartFile.MAGIC) || version != PartFile.VERSION) {
                throw new Damaged("not a part file of this version");
            }
            if (!Arrays.equals(hash, infoHash.bytes()) || pieceLength != info.pieceLength()) {
                throw new Damaged("it belongs to another torrent");
            }
            // Each slice is a distinct file-and-piece share: there cannot be more than files + pieces.
            if (count < 0 || count > info.files().size() + info.pieceCount() || PartFile.headerSize(count) > size) {
                throw new Damaged("its index claims " + count + " slices");
            }
            ByteBuffer header = readFully(ch, 0, (int) PartFile.headerSize(count));
            CRC32 crc = new CRC32();
            crc.update(header.array(), 0, header.limit() - 4);
            if ((int) crc.getValue() != header.getInt(header.limit() - 4)) {
                throw new Damaged("index checksum mismatch");
            }
            return slices(header.position((int) PartFile.headerSize(0) - 4), count, info);
        }
    }

    private static List<PartFile.Slice> slices(ByteBuffer b, int count, Info info) throws Damaged {
        List<PartFile.Slice> out = new ArrayList<>(count);
        long previousEnd = -1;
        for (int i = 0; i < count; i++) {
            PartFile.Slice s = new PartFile.Slice(b.getInt(), b.getInt(), b.getInt());
            if (!PartLayout.isShare(info, s)) {
                throw new Damaged("slice " + i + " is not one file's share of piece " + s.piece());
            }
            long start = (long) s.piece() * info.pieceLength() + s.begin();
            if (start < previousEnd) {
                throw new Damaged("slice " + i + " is out of order");
            }
            previousEnd = start + s.length();
            out.add(s);
        }
        return out;
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                break;
            }
        }
        return b.flip();
    }
}
