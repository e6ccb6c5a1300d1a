package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.swarm.SessionOptions;

/**
 * The selective-download fixture: a folder of files with odd sizes in 16 KiB pieces, so most
 * pieces span a file boundary, and the checks every {@code --only} test makes on the result. The
 * expected part file is worked out here from the torrent alone, and the part file is parsed by
 * its documented layout (README), not by the node's own reader.
 */
final class Selective {
    static final int PIECE = 16384;
    /** Path inside the torrent -> size. */
    static final List<Object[]> FILES = List.of(
            new Object[] {"a.bin", 10_000},
            new Object[] {"b.txt", 20_000},
            new Object[] {"docs/c.md", 7_777},
            new Object[] {"docs/d.bin", 40_000},
            new Object[] {"e.dat", 5_000},
            new Object[] {"empty.txt", 0},
            new Object[] {"sub/deep/f.bin", 33_333});

    private Selective() {
    }

    /** The files under {@code dir/proj}; returns that folder. */
    static Path content(Path dir, long seed) throws Exception {
        Random r = new Random(seed);
        Path root = dir.resolve("proj");
        for (Object[] f : FILES) {
            Path p = root.resolve((String) f[0]);
            Files.createDirectories(p.getParent());
            Files.write(p, Interop.bytes(r, (Integer) f[1]));
        }
        return root;
    }

    static Metainfo torrent(Path content, Path torrentFile, String tracker) throws Exception {
        TorrentBuilder b = new TorrentBuilder(content).pieceLength(PIECE);
        if (tracker != null) {
            b.tracker(tracker);
        }
        byte[] raw = b.build(n -> { });
        Files.write(torrentFile, raw);
        return Metainfo.parse(raw);
    }

    static SessionOptions local(Path dir) throws Exception {
        return SessionOptions.of(dir).withBind(InetAddress.getByName("127.0.0.1")).withPort(0);
    }

    /** The chosen files are the source's bytes; no other file of the torrent exists under {@code out}. */
    static void assertOnly(Metainfo meta, Path source, Path out, Set<String> chosen) throws Exception {
        Info info = meta.info();
        for (FileEntry f : info.files()) {
            String path = f.displayPath();
            Path got = out.resolve(info.name()).resolve(path);
            if (chosen.contains(path)) {
                assertThat(got).as(path).exists();
                assertThat(Interop.sha256(got)).as(path).isEqualTo(Interop.sha256(source.resolve(path)));
            } else {
                assertThat(got).as(path + " was not chosen").doesNotExist();
            }
        }
    }

    /** One share of a piece: {@code length} bytes from {@code begin}, as the part file's index lists it. */
    record Slice(int piece, int begin, int length) {
    }

    /** Shares of pieces that overlap a chosen file, in files that were not chosen: the boundary slices. */
    static List<Slice> expectedSlices(Info info, Set<String> chosen) {
        List<Slice> out = new ArrayList<>();
        for (FileEntry f : info.files()) {
            if (chosen.contains(f.displayPath()) || f.length() == 0) {
                continue;
            }
            long end = f.offset() + f.length();
            for (int p = (int) (f.offset() / PIECE); (long) p * PIECE < end; p++) {
                if (overlapsChosen(info, p, chosen)) {
                    long from = Math.max(f.offset(), (long) p * PIECE);
                    long to = Math.min(end, (long) (p + 1) * PIECE);
                    out.add(new Slice(p, (int) (from - (long) p * PIECE), (int) (to - from)));
                }
            }
        }
        return out;
    }

    private static boolean overlapsChosen(Info info, int piece, Set<String> chosen) {
        long start = (long) piece * PIECE;
        long end = start + info.pieceSize(piece);
        return info.files().stream().anyMatch(f -> chosen.contains(f.displayPath()) && f.length() > 0
                && f.offset() < end && start < f.offset() + f.length());
    }

    /** The part file holds exactly the boundary slices, with the source's bytes; none when there are none. */
    static void assertPartFile(Metainfo meta, Path source, Path out, Set<String> chosen) throws Exception {
        Path part = partFile(meta, out);
        List<Slice> expected = expectedSlices(meta.info(), chosen);
        if (expected.isEmpty()) {
            assertThat(part).as("no boundary slices, no part file").doesNotExist();
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(part));
        byte[] magic = new byte[8];
        b.get(magic);
        assertThat(new String(magic, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SBTPARTS");
        assertThat(b.getInt()).as("version").isEqualTo(1);
        byte[] hash = new byte[20];
        b.get(hash);
        assertThat(hash).isEqualTo(meta.infoHash().bytes());
        assertThat(b.getInt()).as("piece length").isEqualTo(PIECE);
        int n = b.getInt();
        List<Slice> index = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            index.add(new Slice(b.getInt(), b.getInt(), b.getInt()));
        }
        assertThat(index).isEqualTo(expected);
        b.getInt(); // CRC-32 of the header
        byte[] all = concatenated(meta.info(), source);
        ByteArrayOutputStream slices = new ByteArrayOutputStream();
        for (Slice s : expected) {
            long at = (long) s.piece() * PIECE + s.begin();
            slices.write(all, (int) at, s.length());
        }
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        assertThat(rest).as("the part file's data is the boundary slices, nothing more").isEqualTo(slices.toByteArray());
    }

    static Path partFile(Metainfo meta, Path out) {
        return out.resolve(".simplebt-resume").resolve(meta.infoHash().hex() + ".parts");
    }

    /** Bytes of the chosen files' pieces: what the status calls the total, and the tracker's first {@code left}. */
    static long wantedBytes(Info info, Set<String> chosen) {
        long sum = 0;
        for (int p = 0; p < info.pieceCount(); p++) {
            if (overlapsChosen(info, p, chosen)) {
                sum += info.pieceSize(p);
            }
        }
        return sum;
    }

    static byte[] concatenated(Info info, Path source) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (FileEntry f : info.files()) {
            all.write(Files.readAllBytes(source.resolve(f.displayPath())));
        }
        byte[] b = all.toByteArray();
        assertThat((long) b.length).isEqualTo(info.totalLength());
        return Arrays.copyOf(b, b.length);
    }
}
