package simplebt.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeEncoder;
import simplebt.bencode.BencodeException;
import simplebt.metainfo.InfoHash;

/**
 * Which pieces were verified, saved beside the data as {@code .<infohash>.resume} (bencode:
 * {@code pieces} = BEP 3 bitfield bytes, {@code files} = list of [size, mtime ms]). It is trusted
 * only while every file still has the size and modification time recorded; anything else
 * (a crash after a later write, a user edit) means the data is hashed again.
 */
public final class ResumeFile {
    private static final int MAX_BYTES = 16 << 20;

    private final Path path;

    public ResumeFile(Path root, InfoHash infoHash) {
        this.path = root.toAbsolutePath().normalize().resolve("." + infoHash.hex() + ".resume");
    }

    public Path path() {
        return path;
    }

    /** The saved bitfield bytes, when the file exists, parses and still matches the data. */
    public Optional<byte[]> load(int pieceCount, List<long[]> currentStamps) {
        try {
            if (!Files.isRegularFile(path) || Files.size(path) > MAX_BYTES) {
                return Optional.empty();
            }
            BValue value = BencodeDecoder.decode(Files.readAllBytes(path));
            if (!(value instanceof BDict dict)) {
                return Optional.empty();
            }
            Optional<byte[]> bits = dict.string("pieces").map(b -> b.bytes());
            Optional<BList> files = dict.list("files");
            if (bits.isEmpty() || bits.get().length != (pieceCount + 7) / 8 || files.isEmpty()
                    || files.get().size() != currentStamps.size()) {
                return Optional.empty();
            }
            for (int i = 0; i < currentStamps.size(); i++) {
                if (!(files.get().get(i) instanceof BList pair) || pair.size() != 2
                        || !(pair.get(0) instanceof BInt size) || !(pair.get(1) instanceof BInt mtime)
                        || size.value() != currentStamps.get(i)[0] || mtime.value() != currentStamps.get(i)[1]) {
                    return Optional.empty();
                }
            }
            return bits;
        } catch (IOException | BencodeException e) {
            return Optional.empty();
        }
    }

    public void save(byte[] bitfield, List<long[]> stamps) throws IOException {
        List<BValue> files = new ArrayList<>();
        for (long[] s : stamps) {
            files.add(BList.of(BInt.of(s[0]), BInt.of(s[1])));
        }
        BDict dict = BDict.builder().put("pieces", bitfield).put("files", new BList(files)).build();
        AtomicFiles.write(path, BencodeEncoder.encode(dict));
    }

    public void delete() throws IOException {
        Files.deleteIfExists(path);
    }
}
