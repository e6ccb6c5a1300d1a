package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.storage.FileSelection;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.SessionStatus;
import simplebt.swarm.TorrentSession;
import simplebt.testing.Eventually;
import simplebt.trackerclient.TrackerStub;

/**
 * {@code --only} against our own seed on loopback: the chosen files arrive byte for byte, the
 * others are never created, the part file holds exactly the boundary slices, and restarts (same
 * selection, wider selection, a damaged part file) do what the README says.
 */
@Timeout(120)
class SelectiveDownloadIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Path source;
    private Metainfo meta;
    private TorrentSession seed;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void seed() throws Exception {
        source = Selective.content(tmp.resolve("seed"), 21);
        meta = Selective.torrent(source, tmp.resolve("t.torrent"), null);
        seed = TorrentSession.start(meta, Selective.local(tmp.resolve("seed")).withUseTrackers(false));
        assertThat(seed.status().complete()).isTrue();
        savedErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(savedErr);
        seed.close();
    }

    private SessionOptions from(Path out, TorrentSession peer, String... globs) throws Exception {
        return Selective.local(out).withUseTrackers(false).withPeers(List.of(new InetSocketAddress("127.0.0.1", peer.port())))
                .withSelection(FileSelection.globs(List.of(globs)));
    }

    /** Downloads with the globs; returns the bytes received. */
    private long download(Path out, String... globs) throws Exception {
        try (TorrentSession us = TorrentSession.start(meta, from(out, seed, globs))) {
            assertThat(us.awaitCompletion(WAIT)).isTrue();
            SessionStatus s = us.status();
            assertThat(s.verifiedBytes()).as("100 %").isEqualTo(s.totalBytes());
            return s.downloaded();
        }
    }

    @Test
    void oneGlobFetchesThatFileOnlyAndParksTheBoundarySlices() throws Exception {
        Path out = tmp.resolve("out");
        Set<String> chosen = Set.of("b.txt");
        download(out, "b.txt");
        Selective.assertOnly(meta, source, out, chosen);
        assertThat(Selective.expectedSlices(meta.info(), chosen)).as("the fixture has boundary pieces").isNotEmpty();
        Selective.assertPartFile(meta, source, out, chosen);
        assertThat(out.resolve("proj/docs")).doesNotExist();
    }

    @Test
    void twoGlobsAcrossFolders() throws Exception {
        Path out = tmp.resolve("out");
        Set<String> chosen = Set.of("docs/c.md", "sub/deep/f.bin");
        download(out, "**/*.md", "sub");
        Selective.assertOnly(meta, source, out, chosen);
        Selective.assertPartFile(meta, source, out, chosen);
    }

    @Test
    void aRestartWithTheSameSelectionFetchesNothing() throws Exception {
        Path out = tmp.resolve("out");
        download(out, "b.txt", "e.dat");
        try (TorrentSession again = TorrentSession.start(meta, from(out, seed, "b.txt", "e.dat"))) {
            assertThat(again.status().complete()).isTrue();
            assertThat(again.status().downloaded()).isZero();
        }
        Selective.assertPartFile(meta, source, out, Set.of("b.txt", "e.dat"));
    }

    @Test
    void aWiderSelectionFetchesTheRestAndMovesParkedSlicesIntoTheNewFiles() throws Exception {
        Path out = tmp.resolve("out");
        Set<String> first = Set.of("b.txt");
        long firstBytes = download(out, "b.txt");
        assertThat(firstBytes).isEqualTo(Selective.wantedBytes(meta.info(), first));

        Set<String> wider = Set.of("b.txt", "docs/c.md", "docs/d.bin");
        long secondBytes = download(out, "b.txt", "docs");
        // Only pieces not had yet were fetched: the boundary piece between b.txt and docs/c.md was not.
        assertThat(secondBytes).isEqualTo(Selective.wantedBytes(meta.info(), wider) - Selective.wantedBytes(meta.info(), first));
        Selective.assertOnly(meta, source, out, wider);
        Selective.assertPartFile(meta, source, out, wider);

        long lastBytes = download(out); // every file
        Selective.assertOnly(meta, source, out, Set.of("a.bin", "b.txt", "docs/c.md", "docs/d.bin", "e.dat", "empty.txt",
                "sub/deep/f.bin"));
        assertThat(lastBytes).isEqualTo(meta.info().totalLength() - Selective.wantedBytes(meta.info(), wider));
        assertThat(Selective.partFile(meta, out)).as("nothing left to park").doesNotExist();
    }

    @Test
    void aPeerWithOnlySomeFilesServesItsBoundaryPiecesFromThePartFile() throws Exception {
        Path middle = tmp.resolve("middle");
        download(middle, "docs/c.md");
        seed.close(); // from here on the only source is the partial peer
        Path out = tmp.resolve("out");
        try (TorrentSession partial = TorrentSession.start(meta, Selective.local(middle).withUseTrackers(false)
                .withSelection(FileSelection.globs(List.of("docs/c.md"))));
             TorrentSession us = TorrentSession.start(meta, from(out, partial, "docs/c.md"))) {
            assertThat(us.awaitCompletion(WAIT)).isTrue();
        }
        Selective.assertOnly(meta, source, out, Set.of("docs/c.md"));
        Selective.assertPartFile(meta, source, out, Set.of("docs/c.md"));
    }

    /** Downloads one file, flips a bit of its part file at {@code position} (negative: from the end), downloads again. */
    private long damageThePartFileAndFetchAgain(String file, int position) throws Exception {
        Path out = tmp.resolve("out");
        download(out, file);
        Path part = Selective.partFile(meta, out);
        byte[] bytes = Files.readAllBytes(part);
        bytes[position < 0 ? bytes.length + position : position] ^= 1;
        Files.write(part, bytes);
        long again = download(out, file);
        Selective.assertOnly(meta, source, out, Set.of(file));
        Selective.assertPartFile(meta, source, out, Set.of(file));
        return again;
    }

    @Test
    void aDamagedSliceInThePartFileIsFetchedAgainNeverServed() throws Exception {
        long again = damageThePartFileAndFetchAgain("b.txt", -1); // the last slice's last byte; the index is intact
        assertThat(again).as("one boundary piece fetched again").isEqualTo(Selective.PIECE);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("failed their check; fetching them again");
    }

    @Test
    void aDamagedIndexIsOneWarningAndItsPiecesAreFetchedAgain() throws Exception {
        long again = damageThePartFileAndFetchAgain("docs/d.bin", 41); // inside the first index entry
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("is damaged (index checksum mismatch)");
        assertThat(again).isEqualTo(2L * Selective.PIECE); // d.bin's first and last pieces hold other files' bytes
    }

    @Test
    void aSingleFileTorrentWithAGlobThatMatchesItIsAWholeDownload() throws Exception {
        Path single = Interop.content(tmp.resolve("single"), false, 22);
        Metainfo one = Interop.torrent(single, tmp.resolve("one.torrent"), null);
        Path out = tmp.resolve("out");
        try (TorrentSession s = TorrentSession.start(one, Selective.local(tmp.resolve("single")).withUseTrackers(false));
             TorrentSession us = TorrentSession.start(one, Selective.local(out).withUseTrackers(false)
                     .withPeers(List.of(new InetSocketAddress("127.0.0.1", s.port())))
                     .withSelection(FileSelection.globs(List.of("*.bin"))))) {
            assertThat(us.awaitCompletion(WAIT)).isTrue();
            assertThat(us.status().totalBytes()).isEqualTo(one.info().totalLength());
        }
        Interop.assertSameContent(single, out.resolve("single.bin"));
        assertThat(Selective.partFile(one, out)).doesNotExist();
    }

    @Test
    void theTrackerHearsOnlyTheChosenBytesAsLeftAndNoCompletedEvent() throws Exception {
        try (TrackerStub tracker = new TrackerStub();
             TorrentSession tracked = TorrentSession.start(meta, Selective.local(tmp.resolve("seed"))
                     .withTrackers(List.of(tracker.announceUrl())))) {
            // the seed is listed first, so the leecher learns of it only from its own announce
            assertThat(Eventually.within(Duration.ofSeconds(30), () -> !tracker.seen().isEmpty()))
                    .as("announced to the tracker").isTrue();
            Path out = tmp.resolve("out");
            Set<String> chosen = Set.of("e.dat");
            int port;
            try (TorrentSession us = TorrentSession.start(meta, Selective.local(out)
                    .withTrackers(List.of(tracker.announceUrl())).withSelection(FileSelection.globs(List.of("e.dat"))))) {
                port = us.port();
                assertThat(us.awaitCompletion(WAIT)).isTrue();
            }
            List<TrackerStub.Seen> seen = tracker.seen().stream().filter(s -> s.port() == port).toList();
            assertThat(seen.get(0).event()).isEqualTo("started");
            assertThat(seen.get(0).left()).isEqualTo(Selective.wantedBytes(meta.info(), chosen));
            assertThat(seen.get(seen.size() - 1).event()).isEqualTo("stopped");
            assertThat(seen.get(seen.size() - 1).left()).isZero();
            assertThat(seen).noneMatch(s -> "completed".equals(s.event()));
            Selective.assertOnly(meta, source, out, chosen);
        }
    }
}
