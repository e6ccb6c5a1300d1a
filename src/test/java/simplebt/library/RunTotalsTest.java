package simplebt.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;

/** Saving a run's counters again and again adds each byte to the totals once. */
class RunTotalsTest {
    @TempDir
    Path tmp;

    @Test
    void repeatedSavesAddOnlyWhatIsNew() throws Exception {
        TorrentLibrary library = new TorrentLibrary(tmp.resolve("config"));
        Metainfo a = TorrentLibraryTest.torrent(tmp.resolve("data"), "a.bin", 1000);
        library.add(a, tmp.resolve("data"));
        library.addTotals(Map.of(a.infoHash(), new TorrentLibrary.Transferred(5, 7))); // an earlier run
        RunTotals run = new RunTotals(library);

        run.save(Map.of(a.infoHash(), new TorrentLibrary.Transferred(100, 1000)));
        run.save(Map.of(a.infoHash(), new TorrentLibrary.Transferred(100, 1000)));
        run.save(Map.of(a.infoHash(), new TorrentLibrary.Transferred(150, 1000)));
        LibraryEntry e = library.load().entries().get(0);
        assertThat(e.uploaded()).isEqualTo(155);
        assertThat(e.downloaded()).isEqualTo(1007);

        run.save(Map.of(a.infoHash(), new TorrentLibrary.Transferred(20, 0))); // counters started over
        assertThat(library.load().entries().get(0).uploaded()).isEqualTo(175);
    }
}
