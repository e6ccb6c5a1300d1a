package simplebt.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Random;

import simplebt.library.TorrentLibrary;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.storage.PieceChecker;
import simplebt.storage.ResumeFile;
import simplebt.storage.Storage;

/** Torrents with data on disk and a library that remembers them, for the torrents/remove tests. */
final class LibraryFixture {
    final Path config;
    final TorrentLibrary library;

    LibraryFixture(Path config) {
        this.config = config;
        this.library = new TorrentLibrary(config);
    }

    /** A single-file torrent of random bytes written to {@code dataDir/name}. */
    static Metainfo file(Path dataDir, String name, int size) throws Exception {
        Files.createDirectories(dataDir);
        Path f = dataDir.resolve(name);
        Files.write(f, bytes(name, size));
        return Metainfo.parse(new TorrentBuilder(f).pieceLength(16384).build(n -> { }));
    }

    /** A folder torrent {@code dataDir/name} with a/one.bin, a/b/two.bin and three.bin. */
    static Metainfo folder(Path dataDir, String name) throws Exception {
        Path top = dataDir.resolve(name);
        Files.createDirectories(top.resolve("a/b"));
        Files.write(top.resolve("a/one.bin"), bytes("one", 20000));
        Files.write(top.resolve("a/b/two.bin"), bytes("two", 30000));
        Files.write(top.resolve("three.bin"), bytes("three", 5000));
        return Metainfo.parse(new TorrentBuilder(top).pieceLength(16384).build(n -> { }));
    }

    static byte[] bytes(String seed, int size) {
        byte[] b = new byte[size];
        new Random(seed.hashCode()).nextBytes(b);
        return b;
    }

    /** Hashes the data and saves a resume file vouching for the first {@code keep} good pieces. */
    static void resume(Path dataDir, Metainfo meta, int keep) throws Exception {
        try (Storage storage = new Storage(dataDir, meta.info())) {
            BitSet good = PieceChecker.check(storage, n -> { });
            BitSet kept = good.get(0, keep);
            byte[] bits = new byte[(meta.info().pieceCount() + 7) / 8];
            for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
                bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
            }
            new ResumeFile(dataDir, meta.infoHash()).save(bits, storage.fileStamps());
        }
    }
}
