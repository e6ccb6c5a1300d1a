package simplebt.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BencodeEncoder;

/**
 * Same content, name and piece length must give the same info hash as mktorrent (Debian
 * package, installed by scripts/install-deps.sh), and mktorrent's own files must round-trip
 * byte-exact through our parser.
 */
class MktorrentIT {
    private static final Path MKTORRENT = Path.of("/usr/bin/mktorrent");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsMktorrent() {
        Assumptions.assumeTrue(Files.isExecutable(MKTORRENT),
                "mktorrent not installed (scripts/install-deps.sh installs it): skipping info hash comparison");
    }

    /** Runs mktorrent with piece length 2^exponent and returns the .torrent bytes. */
    private byte[] mktorrent(Path source, int exponent) throws Exception {
        Path out = tmp.resolve("mk-" + source.getFileName() + "-" + exponent + ".torrent");
        Process p = new ProcessBuilder(MKTORRENT.toString(), "-l", String.valueOf(exponent), "-o", out.toString(), source.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("mktorrent finished").isTrue();
            assertThat(p.exitValue()).as("mktorrent exit code").isZero();
        } finally {
            p.destroyForcibly();
        }
        return Files.readAllBytes(out);
    }

    private static byte[] ours(Path source, int pieceLength) throws Exception {
        return new TorrentBuilder(source).pieceLength(pieceLength).build(d -> { });
    }

    @Test
    void singleFileInfoHashMatchesMktorrent() throws Exception {
        Path file = tmp.resolve("single.bin");
        TorrentBuilderTest.write(file, 5 * 32768 + 1001, 21);
        for (int exponent : List.of(15, 16)) {
            Metainfo theirs = Metainfo.parse(mktorrent(file, exponent));
            Metainfo mine = Metainfo.parse(ours(file, 1 << exponent));
            assertThat(mine.infoHash()).as("piece length 2^%d", exponent).isEqualTo(theirs.infoHash());
            assertThat(mine.rawInfo()).isEqualTo(theirs.rawInfo());
        }
    }

    @Test
    void folderInfoHashMatchesMktorrent() throws Exception {
        Path root = TorrentBuilderTest.sampleFolder(tmp);
        for (int exponent : List.of(15, 17)) {
            Metainfo theirs = Metainfo.parse(mktorrent(root, exponent));
            Metainfo mine = Metainfo.parse(ours(root, 1 << exponent));
            assertThat(mine.info().files()).isEqualTo(theirs.info().files());
            assertThat(mine.infoHash()).as("piece length 2^%d", exponent).isEqualTo(theirs.infoHash());
        }
    }

    @Test
    void mktorrentFilesRoundTripByteExact() throws Exception {
        Path root = TorrentBuilderTest.sampleFolder(tmp);
        Path file = tmp.resolve("one.bin");
        TorrentBuilderTest.write(file, 1000, 22);
        for (byte[] data : List.of(mktorrent(root, 15), mktorrent(file, 15))) {
            Metainfo m = Metainfo.parse(data);
            assertThat(BencodeEncoder.encode(m.root())).isEqualTo(data);
            assertThat(m.createdBy()).hasValueSatisfying(c -> assertThat(c).startsWith("mktorrent"));
        }
    }

    @Test
    void privateAndAnnounceDoNotBreakTheMatch() throws Exception {
        Path file = tmp.resolve("p.bin");
        TorrentBuilderTest.write(file, 40000, 23);
        Path out = tmp.resolve("p.torrent");
        Process p = new ProcessBuilder(MKTORRENT.toString(), "-p", "-a", "http://127.0.0.1:1/announce", "-l", "15",
                "-o", out.toString(), file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        Metainfo theirs = Metainfo.parse(Files.readAllBytes(out));
        Metainfo mine = Metainfo.parse(new TorrentBuilder(file).pieceLength(32768).isPrivate(true)
                .tracker("http://127.0.0.1:1/announce").build(d -> { }));
        assertThat(theirs.info().isPrivate()).isTrue();
        assertThat(mine.infoHash()).isEqualTo(theirs.infoHash());
        assertThat(mine.announce()).isEqualTo(theirs.announce());
    }
}
