package simplebt.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.magnet.MagnetLink;
import simplebt.metainfo.Metainfo;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;

/** BEP 9 on loopback with other clients: metadata served by us (libtorrent starts from a bare magnet link). */
@Timeout(120)
class MagnetIT {
    @TempDir
    Path tmp;

    @Test
    void libtorrentDownloadsByMagnetLinkWithTheMetadataFromUs() throws Exception {
        assumeTrue(Interop.libtorrentAvailable(), "python3-libtorrent not installed");
        // several metadata pieces: a multi-file torrent with small pieces has a long info dictionary
        Path content = Interop.content(tmp.resolve("seed"), true, 21);
        Metainfo meta = Interop.torrent(content, tmp.resolve("t.torrent"), null);
        // the link names no tracker and no name: everything libtorrent learns comes from our ut_metadata
        String link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(), List.of()).toUri();
        try (TorrentSession us = TorrentSession.start(meta, SessionOptions.of(tmp.resolve("seed"))
                .withBind(InetAddress.getByName("127.0.0.1")).withPort(0).withUseTrackers(false))) {
            Path out = tmp.resolve("out");
            Files.createDirectories(out);
            try (Interop.Proc lt = new Interop.Proc(Interop.libtorrent("magnet", link, out,
                    Interop.freePort(), "127.0.0.1:" + us.port()), tmp)) {
                assertThat(lt.exit(Duration.ofSeconds(90))).as(lt.output()).isZero();
                assertThat(lt.output()).contains("METADATA");
            }
        }
        Interop.assertSameContent(content, tmp.resolve("out/set"));
    }
}
