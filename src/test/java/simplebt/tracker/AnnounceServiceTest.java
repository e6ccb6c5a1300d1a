package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeDecoder;
import simplebt.metainfo.InfoHash;
import simplebt.metainfo.Metainfo;

/** The announce and scrape rules, without HTTP (STYLE.md #9). */
class AnnounceServiceTest {
    private static final InfoHash HASH = InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314");
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private Store store;
    private Accounts accounts;
    private TorrentRegistry registry;

    @BeforeEach
    void setUp() throws IOException {
        store = new Store(dir);
        SecureRandom random = new SecureRandom();
        accounts = new Accounts(store, new PasswordHasher(1000, random), new LoginThrottle(clock::get), clock::get, random);
        registry = new TorrentRegistry(store, clock::get, random);
    }

    private Swarms swarms;

    private AnnounceService service(boolean open) {
        return service(open, new Swarms());
    }

    private AnnounceService service(boolean open, Swarms with) {
        swarms = with;
        TrackerConfig config = TrackerConfig.defaults(dir).withOpen(open).withInterval(100);
        return new AnnounceService(config, swarms, registry, accounts, clock::get);
    }

    private static AnnounceRequest withKey(AnnounceRequest r, long key) {
        return new AnnounceRequest(r.infoHash(), r.peerId(), r.ip(), r.port(), 0, 0, r.left(), r.event(), true, false,
                50, r.passkey(), key);
    }

    private static AnnounceRequest req(InfoHash hash, String peerId, int lastOctet, int port, long left, Event event,
                                       String passkey) {
        return new AnnounceRequest(hash, peerId.getBytes(StandardCharsets.US_ASCII), new byte[] {10, 0, 0, (byte) lastOctet},
                port, 0, 0, left, event, true, false, 50, Optional.ofNullable(passkey));
    }

    private static AnnounceRequest req(String peerId, int lastOctet, long left, Event event) {
        return req(HASH, peerId, lastOctet, 6000 + lastOctet, left, event, null);
    }

    private static String id(int n) {
        return String.format("-XX0001-%012d", n);
    }

    @Test
    void firstPeerGetsNobodySecondGetsFirstNeverItself() throws Exception {
        AnnounceService s = service(true);
        AnnounceReply first = s.announce(req(id(1), 1, 100, Event.STARTED));
        assertThat(first.peers()).isEmpty();
        assertThat(first.incomplete()).isEqualTo(1);

        AnnounceReply second = s.announce(req(id(2), 2, 100, Event.STARTED));
        assertThat(second.peers()).extracting(p -> new String(p.id().bytes())).containsExactly(id(1));
        // BEP 23: 10.0.0.1 port 6001 = 0x1771
        assertThat(AnnounceReply.compactList(second.peers(), true)).containsExactly(10, 0, 0, 1, 0x17, 0x71);
        assertThat(second.incomplete()).isEqualTo(2);
        assertThat(s.announce(req(id(1), 1, 100, Event.NONE)).peers())
                .extracting(p -> new String(p.id().bytes())).containsExactly(id(2));
    }

    @Test
    void stoppedRemovesThePeer() throws Exception {
        AnnounceService s = service(true);
        s.announce(req(id(1), 1, 0, Event.STARTED));
        s.announce(req(id(2), 2, 100, Event.STARTED));
        AnnounceReply stop = s.announce(req(id(1), 1, 0, Event.STOPPED));
        assertThat(stop.peers()).isEmpty();
        assertThat(stop.complete()).isZero();
        assertThat(stop.incomplete()).isEqualTo(1);
        assertThat(s.announce(req(id(2), 2, 100, Event.NONE)).peers()).isEmpty();
        // stopping twice, or a peer we never saw, changes nothing
        assertThat(s.announce(req(id(9), 9, 0, Event.STOPPED)).incomplete()).isEqualTo(1);
    }

    @Test
    void completedCountsOncePerPeerAndMakesASeeder() throws Exception {
        AnnounceService s = service(true);
        s.announce(req(id(1), 1, 100, Event.STARTED));
        AnnounceReply done = s.announce(req(id(1), 1, 0, Event.COMPLETED));
        assertThat(done.complete()).isEqualTo(1);
        assertThat(done.incomplete()).isZero();
        s.announce(req(id(1), 1, 0, Event.COMPLETED));
        s.announce(req(id(2), 2, 0, Event.COMPLETED));
        assertThat(scrape(s, HASH).integer("downloaded")).contains(2L);
        assertThat(scrape(s, HASH).integer("complete")).contains(2L);
    }

    @Test
    void seedersAreOnlyToldAboutLeechers() throws Exception {
        AnnounceService s = service(true);
        s.announce(req(id(1), 1, 0, Event.STARTED));
        s.announce(req(id(2), 2, 100, Event.STARTED));
        AnnounceReply seeder = s.announce(req(id(3), 3, 0, Event.STARTED));
        assertThat(seeder.peers()).extracting(p -> new String(p.id().bytes())).containsExactly(id(2));
        assertThat(s.announce(req(id(4), 4, 100, Event.STARTED)).peers()).hasSize(3);
    }

    @Test
    void numwantLimitsThePeerList() throws Exception {
        AnnounceService s = service(true);
        for (int i = 1; i <= 20; i++) {
            s.announce(req(id(i), i, 100, Event.STARTED));
        }
        AnnounceRequest r = new AnnounceRequest(HASH, id(1).getBytes(StandardCharsets.US_ASCII), new byte[] {10, 0, 0, 1},
                6001, 0, 0, 100, Event.NONE, true, false, 5, Optional.empty());
        assertThat(s.announce(r).peers()).hasSize(5).noneMatch(p -> new String(p.id().bytes()).equals(id(1)));
    }

    @Test
    void silentPeersExpireAfterAboutTwoIntervals() throws Exception {
        AnnounceService s = service(true);
        s.announce(req(id(1), 1, 100, Event.STARTED));
        clock.addAndGet(150_000);
        s.announce(req(id(2), 2, 100, Event.STARTED));
        assertThat(scrape(s, HASH).integer("incomplete")).contains(2L);
        clock.addAndGet(100_000); // peer 1 silent for 250 s > 2 x 100 s + slack
        assertThat(scrape(s, HASH).integer("incomplete")).contains(1L);
        assertThat(s.announce(req(id(2), 2, 100, Event.NONE)).peers()).isEmpty();
        clock.addAndGet(1_000_000);
        assertThat(s.expireAll()).isEqualTo(1);
    }

    @Test
    void anAnnounceNeverHandsOutAPeerThatHasExpired() throws Exception {
        AnnounceService s = service(true);
        s.announce(req(id(1), 1, 100, Event.STARTED));
        clock.addAndGet(250_000); // peer 1 silent for 250 s > 2 x 100 s + slack; no sweep, no scrape in between
        AnnounceReply reply = s.announce(req(id(2), 2, 100, Event.STARTED));
        assertThat(reply.peers()).isEmpty();
        assertThat(reply.incomplete()).isEqualTo(1);
    }

    @Test
    void privateModeNeedsAPasskeyAndARegisteredTorrent() throws Exception {
        AnnounceService s = service(false);
        Account alice = accounts.signup("alice", "secret password");
        Metainfo meta = Metainfo.parse(TestTorrents.singleFile("a.bin", 40000));
        assertThatThrownBy(() -> s.announce(req(meta.infoHash(), id(1), 1, 1, 0, Event.STARTED, null)))
                .isInstanceOf(BadRequest.class).hasMessageContaining("private tracker");
        assertThatThrownBy(() -> s.announce(req(meta.infoHash(), id(1), 1, 1, 0, Event.STARTED, "00".repeat(16))))
                .hasMessage("unknown passkey");
        assertThatThrownBy(() -> s.announce(req(meta.infoHash(), id(1), 1, 1, 0, Event.STARTED, alice.passkey())))
                .hasMessageContaining("not registered");
        registry.register(meta, "alice");
        AnnounceReply ok = s.announce(req(meta.infoHash(), id(1), 1, 1, 0, Event.STARTED, alice.passkey()));
        assertThat(ok.secret()).get().satisfies(b -> assertThat(b).hasSize(32));
        assertThat(ok.secret().get()).isEqualTo(registry.secret(meta.infoHash()));
    }

    @Test
    void openModeGivesNoSecretWithoutAPasskey() throws Exception {
        AnnounceService s = service(true);
        Metainfo meta = Metainfo.parse(TestTorrents.singleFile("a.bin", 40000));
        registry.register(meta, "alice");
        assertThat(s.announce(req(meta.infoHash(), id(1), 1, 1, 0, Event.STARTED, null)).secret()).isEmpty();
        BDict reply = (BDict) BencodeDecoder.decode(s.announce(req(meta.infoHash(), id(1), 1, 1, 0, Event.NONE, null)).encode());
        assertThat(reply.has("sbt secret")).isFalse();
    }

    /** Fresh peer ids do not inflate the count; announces do not write, a flush does. */
    @Test
    void completedCountsOncePerUserAndReachesTheDiskOnFlush() throws Exception {
        AnnounceService s = service(false);
        Account alice = accounts.signup("alice", "secret password");
        Account bob = accounts.signup("bob", "secret password");
        Metainfo meta = Metainfo.parse(TestTorrents.singleFile("a.bin", 40000));
        registry.register(meta, "alice");
        for (int i = 1; i <= 5; i++) {
            s.announce(req(meta.infoHash(), id(i), 1, 1, 0, Event.COMPLETED, alice.passkey()));
        }
        s.announce(req(meta.infoHash(), id(9), 2, 1, 0, Event.COMPLETED, bob.passkey()));
        assertThat(registry.get(meta.infoHash())).get().extracting(TorrentEntry::completed).isEqualTo(2L);
        TorrentRegistry beforeFlush = new TorrentRegistry(new Store(dir), clock::get, new SecureRandom());
        assertThat(beforeFlush.get(meta.infoHash())).get().extracting(TorrentEntry::completed).isEqualTo(0L);
        assertThat(registry.flush()).isEqualTo(1);
        assertThat(registry.flush()).isZero(); // nothing changed since
        registry = new TorrentRegistry(new Store(dir), clock::get, new SecureRandom());
        assertThat(registry.get(meta.infoHash())).get().extracting(TorrentEntry::completed).isEqualTo(2L);
        // Who completed is remembered across the restart too.
        AnnounceService again = service(false);
        again.announce(req(meta.infoHash(), id(20), 3, 1, 0, Event.COMPLETED, alice.passkey()));
        assertThat(registry.get(meta.infoHash())).get().extracting(TorrentEntry::completed).isEqualTo(2L);
    }

    /** Without a passkey (open mode): once per address and key, whatever the peer id. */
    @Test
    void openModeCountsCompletedOncePerAddressAndKey() throws Exception {
        AnnounceService s = service(true);
        for (int i = 1; i <= 5; i++) {
            s.announce(req(id(i), 1, 0, Event.COMPLETED));
            s.announce(req(id(i), 1, 0, Event.STOPPED));
        }
        assertThat(scrape(s, HASH).integer("downloaded")).contains(1L);
        s.announce(withKey(req(id(7), 1, 0, Event.COMPLETED), 42));
        s.announce(req(id(8), 2, 0, Event.COMPLETED));
        assertThat(scrape(s, HASH).integer("downloaded")).contains(3L);
    }

    @Test
    void onlyTheOwnerMayStopOrMoveAPeerWithAPasskey() throws Exception {
        AnnounceService s = service(false);
        Account alice = accounts.signup("alice", "secret password");
        Account mallory = accounts.signup("mallory", "secret password");
        Metainfo meta = Metainfo.parse(TestTorrents.singleFile("a.bin", 40000));
        registry.register(meta, "alice");
        InfoHash h = meta.infoHash();
        s.announce(withKey(req(h, id(1), 1, 7000, 0, Event.STARTED, alice.passkey()), 77));
        // mallory knows alice's peer id (from a handshake) but is not alice.
        assertThat(s.announce(req(h, id(1), 66, 6666, 0, Event.STOPPED, mallory.passkey())).complete()).isEqualTo(1);
        assertThatThrownBy(() -> s.announce(req(h, id(1), 66, 6666, 0, Event.NONE, mallory.passkey())))
                .isInstanceOf(BadRequest.class).hasMessageContaining("in use by another client");
        // alice herself without her key is refused too; with it she may move.
        assertThatThrownBy(() -> s.announce(req(h, id(1), 1, 7000, 0, Event.NONE, alice.passkey())))
                .hasMessageContaining("in use by another client");
        s.announce(withKey(req(h, id(1), 5, 7005, 0, Event.NONE, alice.passkey()), 77));
        AnnounceReply seen = s.announce(req(h, id(2), 66, 6666, 100, Event.STARTED, mallory.passkey()));
        assertThat(AnnounceReply.compactList(seen.peers(), true)).containsExactly(10, 0, 0, 5, 0x1b, 0x5d);
        s.announce(withKey(req(h, id(1), 5, 7005, 0, Event.STOPPED, alice.passkey()), 77));
        assertThat(s.announce(req(h, id(2), 66, 6666, 100, Event.NONE, mallory.passkey())).complete()).isZero();
    }

    @Test
    void withoutAPasskeyOnlyTheSameAddressOrKeyMayChangeAPeer() throws Exception {
        AnnounceService s = service(true);
        s.announce(req(id(1), 1, 0, Event.STARTED));
        assertThat(s.announce(req(id(1), 66, 0, Event.STOPPED)).complete()).isEqualTo(1);
        assertThatThrownBy(() -> s.announce(req(id(1), 66, 0, Event.NONE))).hasMessageContaining("in use by another client");
        s.announce(withKey(req(id(2), 2, 100, Event.STARTED), 5));
        s.announce(withKey(req(id(2), 3, 100, Event.NONE), 5)); // same key, new address: allowed
        assertThatThrownBy(() -> s.announce(withKey(req(id(2), 3, 100, Event.NONE), 6)))
                .hasMessageContaining("in use by another client");
        s.announce(req(id(1), 1, 0, Event.STOPPED));
        assertThat(scrape(s, HASH).integer("complete")).contains(0L);
    }

    @Test
    void onePasskeyOrAddressHoldsABoundedNumberOfPeers() throws Exception {
        AnnounceService s = service(true, new Swarms(1000, 1000, 3, new PeerQuota(5, 100)));
        for (int i = 1; i <= 3; i++) {
            s.announce(req(id(i), 1, 100, Event.STARTED));
        }
        assertThatThrownBy(() -> s.announce(req(id(4), 1, 100, Event.STARTED)))
                .hasMessage("you have 3 peers in this swarm already (this address); stop one first");
        s.announce(req(id(4), 2, 100, Event.STARTED)); // another address is not affected
        s.announce(req(InfoHash.fromHex("11".repeat(20)), id(5), 1, 1, 100, Event.STARTED, null));
        s.announce(req(InfoHash.fromHex("22".repeat(20)), id(6), 1, 1, 100, Event.STARTED, null));
        assertThatThrownBy(() -> s.announce(req(InfoHash.fromHex("33".repeat(20)), id(7), 1, 1, 100, Event.STARTED, null)))
                .hasMessageContaining("you have 5 peers on this tracker already (this address)");
        s.announce(req(id(1), 1, 100, Event.STOPPED));
        s.announce(req(InfoHash.fromHex("33".repeat(20)), id(7), 1, 1, 100, Event.STARTED, null));
        assertThat(swarms.peerCount()).isEqualTo(6);
    }

    /** Before: a swarm with a completion was kept for ever (one announce per made-up hash pinned it). */
    @Test
    void swarmsWithoutPeersAreRetiredEvenAfterACompletion() throws Exception {
        AnnounceService s = service(true);
        for (int i = 0; i < 100; i++) {
            InfoHash h = InfoHash.fromHex(String.format("%040x", i + 1));
            s.announce(req(h, id(1), 1, 1, 0, Event.COMPLETED, null));
            s.announce(req(h, id(1), 1, 1, 0, Event.STOPPED, null));
        }
        assertThat(swarms.swarmCount()).isEqualTo(100);
        s.expireAll();
        assertThat(swarms.swarmCount()).isZero();
        assertThat(swarms.peerCount()).isZero();
        // A stopped announce for a swarm nobody is in creates nothing.
        s.announce(req(InfoHash.fromHex("ff".repeat(20)), id(1), 1, 1, 0, Event.STOPPED, null));
        assertThat(swarms.swarmCount()).isZero();
    }

    @Test
    void openModeCannotBeMadeToHoldUnlimitedSwarmsOrPeers() throws Exception {
        AnnounceService s = new AnnounceService(TrackerConfig.defaults(dir).withOpen(true), new Swarms(2, 3, 8, new PeerQuota(5000, 1000)), registry,
                accounts, clock::get);
        for (int i = 1; i <= 3; i++) {
            s.announce(req(id(i), i, 100, Event.STARTED));
        }
        assertThatThrownBy(() -> s.announce(req(id(4), 4, 100, Event.STARTED))).isInstanceOf(BadRequest.class)
                .hasMessageContaining("swarm is full");
        assertThat(s.announce(req(id(1), 1, 100, Event.NONE)).incomplete()).isEqualTo(3); // known peers still announce
        s.announce(req(InfoHash.fromHex("11".repeat(20)), id(1), 1, 1, 100, Event.STARTED, null));
        assertThatThrownBy(() -> s.announce(req(InfoHash.fromHex("22".repeat(20)), id(1), 1, 1, 100, Event.STARTED, null)))
                .hasMessageContaining("as many torrents as it can");
    }

    @Test
    void sbtPeersListsOnlyOurNodes() throws Exception {
        AnnounceService s = service(true);
        s.announce(req("-SJ0001-aaaaaaaaaaaa", 1, 100, Event.STARTED));
        s.announce(req("-qB4500-bbbbbbbbbbbb", 2, 100, Event.STARTED));
        s.announce(req("-SB0110-cccccccccccc", 4, 100, Event.STARTED)); // Swiftbit (BEP 20), not ours
        BDict reply = (BDict) BencodeDecoder.decode(s.announce(req(id(3), 3, 100, Event.STARTED)).encode());
        assertThat(reply.string("peers")).get().extracting(p -> p.length()).isEqualTo(18);
        assertThat(reply.string("sbt peers")).get().satisfies(p ->
                assertThat(p.bytes()).containsExactly(10, 0, 0, 1, 0x17, 0x71));
    }

    @Test
    void compactReplyIsCanonicalBencodeWithEveryKey() throws Exception {
        byte[] v6 = InetAddress.getByName("2001:db8::1").getAddress();
        AnnounceReply reply = new AnnounceReply(1800, 60, 3, 4, List.of(
                new PeerEntry(new byte[] {1, 2, 3, 4}, 0x1a2b, PeerId.of("-SJ0001-aaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII))),
                new PeerEntry(v6, 80, PeerId.of(id(1).getBytes(StandardCharsets.US_ASCII)))),
                true, false, Optional.of(new byte[32]));
        byte[] bytes = reply.encode();
        BDict d = (BDict) BencodeDecoder.decode(bytes); // strict: rejects unsorted keys
        assertThat(simplebt.bencode.BencodeEncoder.encode(d)).isEqualTo(bytes);
        assertThat(d.entries().keySet()).extracting(k -> k.text()).containsExactly(
                "complete", "incomplete", "interval", "min interval", "peers", "peers6", "sbt peers", "sbt secret");
        assertThat(d.string("peers").orElseThrow().bytes()).containsExactly(1, 2, 3, 4, 0x1a, 0x2b);
        assertThat(d.string("sbt peers").orElseThrow().bytes()).containsExactly(1, 2, 3, 4, 0x1a, 0x2b);
        assertThat(d.string("peers6").orElseThrow().length()).isEqualTo(18);
        assertThat(new String(AnnounceReply.failure("no"), StandardCharsets.US_ASCII)).isEqualTo("d14:failure reason2:noe");
    }

    @Test
    void encodesTheDictionaryModelWhenNotCompact() throws Exception {
        AnnounceService s = service(true);
        s.announce(req(id(1), 1, 100, Event.STARTED));
        AnnounceRequest r = new AnnounceRequest(HASH, id(2).getBytes(StandardCharsets.US_ASCII), new byte[] {10, 0, 0, 2},
                6002, 0, 0, 100, Event.STARTED, false, false, 50, Optional.empty());
        BDict reply = (BDict) BencodeDecoder.decode(s.announce(r).encode());
        BDict peer = (BDict) reply.list("peers").orElseThrow().get(0);
        assertThat(peer.text("ip")).contains("10.0.0.1");
        assertThat(peer.integer("port")).contains(6001L);
        assertThat(peer.text("peer id")).contains(id(1));
        assertThat(reply.integer("interval")).contains(100L);
        assertThat(reply.integer("min interval")).contains(10L);
    }

    @Test
    void scrapeAnswersKnownHashesOnlyAndChecksInput() throws Exception {
        AnnounceService s = service(true);
        s.announce(req(id(1), 1, 0, Event.STARTED));
        byte[] unknown = new byte[20];
        BDict files = (BDict) ((BDict) BencodeDecoder.decode(s.scrape(List.of(HASH.bytes(), unknown), Optional.empty())))
                .get("files").orElseThrow();
        assertThat(files.entries()).hasSize(1);
        assertThatThrownBy(() -> s.scrape(List.of(), Optional.empty())).hasMessageContaining("at least one info_hash");
        assertThatThrownBy(() -> s.scrape(List.of(new byte[3]), Optional.empty())).hasMessageContaining("20 bytes");
        assertThatThrownBy(() -> service(false).scrape(List.of(HASH.bytes()), Optional.empty()))
                .hasMessageContaining("private tracker");
    }

    @Test
    void ipv6PeersGoToPeers6() throws Exception {
        AnnounceService s = service(true);
        byte[] v6 = InetAddress.getByName("2001:db8::1").getAddress();
        s.announce(new AnnounceRequest(HASH, id(1).getBytes(StandardCharsets.US_ASCII), v6, 6001, 0, 0, 100,
                Event.STARTED, true, false, 50, Optional.empty()));
        BDict reply = (BDict) BencodeDecoder.decode(s.announce(req(id(2), 2, 100, Event.STARTED)).encode());
        assertThat(reply.string("peers")).get().extracting(p -> p.length()).isEqualTo(0);
        assertThat(reply.string("peers6")).get().extracting(p -> p.length()).isEqualTo(18);
    }

    private static BDict scrape(AnnounceService s, InfoHash hash) throws Exception {
        BDict root = (BDict) BencodeDecoder.decode(s.scrape(List.of(hash.bytes()), Optional.empty()));
        BDict files = root.dict("files").orElseThrow();
        return (BDict) files.entries().values().iterator().next();
    }
}
