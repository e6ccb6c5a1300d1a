package simplebt.magnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.swarm.SessionOptions;
import simplebt.swarm.TorrentSession;
import simplebt.trackerclient.AnnounceRequest;
import simplebt.trackerclient.TrackerClient;
import simplebt.trackerclient.TrackerStub;
import simplebt.wire.Handshake;
import simplebt.wire.MetadataMessage;

/** A magnet link resolved over real loopback sockets: our seeding session serves, liars are dropped. */
@Timeout(60)
class MagnetResolverTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

    @TempDir
    Path tmp;

    /** 14 MiB in 16 KiB pieces: 896 piece hashes, an info dictionary of two metadata pieces. */
    private Metainfo seedTorrent() throws Exception {
        Path dir = tmp.resolve("seed");
        Files.createDirectories(dir);
        byte[] data = new byte[14 << 20];
        new Random(5).nextBytes(data);
        Files.write(dir.resolve("big.bin"), data);
        return Metainfo.parse(new TorrentBuilder(dir.resolve("big.bin")).pieceLength(16384).build(n -> { }));
    }

    private static SessionOptions local(Path dir) {
        return SessionOptions.of(dir).withBind(LOCAL).withPort(0).withUseTrackers(false);
    }

    @Test
    void liarsAreDroppedAndTheGoodPeersMetadataIsUsedThenTheDataComes() throws Exception {
        Metainfo meta = seedTorrent();
        assertThat(meta.rawInfo().length).isGreaterThan(MetadataMessage.PIECE_SIZE);
        try (TorrentSession seed = TorrentSession.start(meta, local(tmp.resolve("seed")));
             LyingMetadataPeer badPiece = new LyingMetadataPeer(meta.infoHash(), meta.rawInfo(), meta.rawInfo().length);
             LyingMetadataPeer tooBig = new LyingMetadataPeer(meta.infoHash(), meta.rawInfo(), MetadataMessage.MAX_METADATA_SIZE + 1)) {
            InetSocketAddress good = new InetSocketAddress(LOCAL, seed.port());
            MagnetLink link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(),
                    List.of(badPiece.address(), tooBig.address(), good));

            MagnetResolver.Resolved resolved = MagnetResolver.fetch(link, List.of(), 0, Duration.ofSeconds(30), null);
            Metainfo got = resolved.meta();

            assertThat(got.rawInfo()).isEqualTo(meta.rawInfo());
            assertThat(got.infoHash()).isEqualTo(meta.infoHash());
            assertThat(resolved.from()).as("the peer to dial first for the data").contains(good);
            // the liar was asked, sent a bad piece and was hung up on; the oversized one never asked at all
            assertThat(badPiece.droppedUs.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(badPiece.requests.get()).isPositive();
            assertThat(tooBig.droppedUs.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(tooBig.requests.get()).isZero();
            try (TorrentSession leech = TorrentSession.start(got, local(tmp.resolve("out")).withPeers(List.of(good)))) {
                assertThat(leech.awaitCompletion(Duration.ofSeconds(40))).isTrue();
            }
            assertThat(Files.mismatch(tmp.resolve("out/big.bin"), tmp.resolve("seed/big.bin"))).isEqualTo(-1);
        }
    }

    @Test
    void onlyLiarsMeansAClearFailureNotABadTorrent() throws Exception {
        Metainfo meta = seedTorrent();
        try (LyingMetadataPeer badPiece = new LyingMetadataPeer(meta.infoHash(), meta.rawInfo(), meta.rawInfo().length)) {
            MagnetLink link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(), List.of(badPiece.address()));
            assertThatThrownBy(() -> MagnetResolver.resolve(link, List.of(), 0, Duration.ofSeconds(3)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("could not get the torrent's metadata within 3 s (1 peer(s) tried; last: ")
                    .hasMessageContaining("sent metadata that does not match the info hash");
        }
    }

    /**
     * A fetch that gets nothing (a silent swarm) says {@code stopped} too when it gives up.
     * Before, the failed fetch's result made the announcer's loop throw, so the tracker went on
     * listing a peer id that nobody runs.
     */
    @Test
    void aFetchThatTimesOutStopsItsTrackerEntryToo() throws Exception {
        try (TrackerStub tracker = new TrackerStub()) { // lists no one
            MagnetLink link = new MagnetLink(seedTorrent().infoHash(), Optional.empty(), List.of(tracker.announceUrl()), List.of());

            assertThatThrownBy(() -> MagnetResolver.resolve(link, List.of(), 6999, Duration.ofSeconds(2)))
                    .isInstanceOf(IOException.class).hasMessageContaining("no peer found");

            assertThat(tracker.seen()).extracting(TrackerStub.Seen::event).containsExactly("", "stopped");
        }
    }

    /**
     * The fetch announces under a peer id of its own that no one can connect to; once the
     * metadata is in it says {@code stopped} with the same port, so the tracker keeps no stray
     * entry next to the torrent session's own.
     */
    @Test
    void theFetchsTrackerEntryIsStoppedOnceTheMetadataIsIn() throws Exception {
        Metainfo meta = seedTorrent();
        try (TorrentSession seed = TorrentSession.start(meta, local(tmp.resolve("seed")));
             TrackerStub tracker = new TrackerStub()) {
            try (TrackerClient client = new TrackerClient(Duration.ofSeconds(5))) { // the seed, listed as the stub's only peer
                client.announce(tracker.announceUrl(), new AnnounceRequest(meta.infoHash(), Handshake.newPeerId(), seed.port(),
                        0, 0, 0, AnnounceRequest.Event.STARTED, 50));
            }
            // no x.pe: the fetch learns of the seed only by announcing
            MagnetLink link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(tracker.announceUrl()), List.of());

            Metainfo got = MagnetResolver.resolve(link, List.of(), 6999, Duration.ofSeconds(30));

            assertThat(got.infoHash()).isEqualTo(meta.infoHash());
            List<TrackerStub.Seen> ours = tracker.seen().stream().filter(s -> s.port() != seed.port()).toList();
            assertThat(ours).isNotEmpty();
            assertThat(ours).allSatisfy(s -> assertThat(s.port()).isEqualTo(6999));
            assertThat(ours.get(ours.size() - 1).event()).isEqualTo("stopped");
            assertThat(ours.stream().filter(s -> s.event().equals("stopped"))).hasSize(1);
        }
    }

    /** A stand-in for the node's DHT: hands over the given peers when started, and remembers being started and stopped. */
    private static final class RecordingSource implements PeerSource {
        final List<InetSocketAddress> peers;
        final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger stopped = new java.util.concurrent.atomic.AtomicInteger();

        RecordingSource(List<InetSocketAddress> peers) {
            this.peers = peers;
        }

        @Override
        public AutoCloseable start(java.util.function.Consumer<java.util.Collection<InetSocketAddress>> found) {
            started.incrementAndGet();
            found.accept(peers);
            return stopped::incrementAndGet;
        }
    }

    @Test
    void aLinkWithOnlyTheInfoHashGetsItsPeersFromTheDht() throws Exception {
        Metainfo meta = seedTorrent();
        try (TorrentSession seed = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
            RecordingSource dht = new RecordingSource(List.of(new InetSocketAddress(LOCAL, seed.port())));
            MagnetLink link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(), List.of());

            Metainfo got = MagnetResolver.resolve(link, List.of(), 0, Duration.ofSeconds(30), dht);

            assertThat(got.rawInfo()).isEqualTo(meta.rawInfo());
            assertThat(dht.started.get()).isEqualTo(1);
            assertThat(dht.stopped.get()).as("the search ends with the fetch").isEqualTo(1);
        }
    }

    /** The torrent may be private (that shows only in the metadata): its own peer answered, so its hash never went to the DHT. */
    @Test
    void aLinkWhosePeerDeliversIsNeverLookedUpOnTheDht() throws Exception {
        Metainfo meta = seedTorrent();
        try (TorrentSession seed = TorrentSession.start(meta, local(tmp.resolve("seed")))) {
            RecordingSource dht = new RecordingSource(List.of());
            MagnetLink link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(),
                    List.of(new InetSocketAddress(LOCAL, seed.port())));

            assertThat(MagnetResolver.resolve(link, List.of(), 0, Duration.ofSeconds(30), dht).rawInfo()).isEqualTo(meta.rawInfo());
            assertThat(dht.started.get()).isZero();
        }
    }

    @Test
    void whenTheLinksOwnPeersFailTheDhtIsAskedAfterTheGrace() throws Exception {
        Metainfo meta = seedTorrent();
        try (TorrentSession seed = TorrentSession.start(meta, local(tmp.resolve("seed")));
             LyingMetadataPeer liar = new LyingMetadataPeer(meta.infoHash(), meta.rawInfo(), meta.rawInfo().length)) {
            RecordingSource dht = new RecordingSource(List.of(new InetSocketAddress(LOCAL, seed.port())));
            MagnetLink link = new MagnetLink(meta.infoHash(), Optional.empty(), List.of(), List.of(liar.address()));

            Metainfo got = MagnetResolver.resolve(link, List.of(), 0, Duration.ofSeconds(30), dht);

            assertThat(got.rawInfo()).isEqualTo(meta.rawInfo());
            assertThat(liar.droppedUs.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(dht.started.get()).isEqualTo(1);
        }
    }

    @Test
    void theSavedFileIsNamedForTheInfosName() throws Exception {
        Metainfo meta = seedTorrent();
        assertThat(MagnetResolver.fileName(meta)).isEqualTo("big.bin.torrent");
    }
}
