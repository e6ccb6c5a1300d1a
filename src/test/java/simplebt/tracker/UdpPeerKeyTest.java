package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.udptracker.UdpCodec;
import simplebt.udptracker.UdpEvent;
import simplebt.udptracker.UdpRequest;
import simplebt.udptracker.UdpResponse;

/**
 * BEP 15's {@code key} field guards a peer entry over UDP as the HTTP {@code key} parameter
 * does ({@link Peer#mayBeChangedBy}): another client behind the same address cannot move or
 * stop it, and the owner can still change it after its address changed.
 */
class UdpPeerKeyTest {
    private static final byte[] HASH = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEER = "-SB0001-ownerownerow".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY = 0x1a2b3c4d;
    private final long now = 1_700_000_000_000L;
    @TempDir
    Path dir;
    private ConnectionIds ids;
    private AnnounceService service;
    private UdpAnnounceHandler handler;

    @BeforeEach
    void setUp() throws Exception {
        SecureRandom random = new SecureRandom();
        Store store = new Store(dir);
        Accounts accounts = new Accounts(store, new PasswordHasher(1000, random), new LoginThrottle(() -> now), () -> now, random);
        TrackerConfig config = TrackerConfig.defaults(dir).withOpen(true);
        service = new AnnounceService(config, new Swarms(), new TorrentRegistry(store, () -> now, random),
                accounts, () -> now);
        ids = new ConnectionIds(random, () -> now);
        handler = new UdpAnnounceHandler(service, ids, config);
    }

    private UdpResponse announce(String from, byte[] peerId, int key, int port, UdpEvent event, long left) throws Exception {
        InetAddress source = InetAddress.getByName(from);
        long cid = ids.issue(AnnounceRequest.address(source));
        byte[] packet = UdpCodec.encode(new UdpRequest.Announce(cid, 7, HASH, peerId, 0, left, 0, event, 0, key, 50, port, ""));
        byte[] reply = handler.handle(packet, packet.length, source);
        return UdpCodec.decodeResponse(reply, reply.length, false);
    }

    @Test
    void anotherClientOnTheSameAddressCannotMoveAKeyedPeer() throws Exception {
        announce("10.0.0.1", PEER, KEY, 7000, UdpEvent.STARTED, 0);
        UdpResponse move = announce("10.0.0.1", PEER, 0x0badf00d, 6666, UdpEvent.NONE, 0);
        assertThat(move).isInstanceOfSatisfying(UdpResponse.Error.class,
                e -> assertThat(e.message()).contains("in use by another client"));
        // A stopped with the wrong key leaves the seeder listed.
        announce("10.0.0.1", PEER, 0x0badf00d, 6666, UdpEvent.STOPPED, 0);
        UdpResponse leecher = announce("10.0.0.9", "-SB0001-leecherleech".getBytes(StandardCharsets.US_ASCII), 5, 7001,
                UdpEvent.STARTED, 10);
        assertThat(leecher).isInstanceOfSatisfying(UdpResponse.Announced.class, a -> assertThat(a.seeders()).isEqualTo(1));
    }

    @Test
    void theOwnerKeepsItsPeerAfterItsAddressChanged() throws Exception {
        announce("10.0.0.1", PEER, KEY, 7000, UdpEvent.STARTED, 0);
        UdpResponse moved = announce("10.0.0.2", PEER, KEY, 7000, UdpEvent.NONE, 0);
        assertThat(moved).isInstanceOf(UdpResponse.Announced.class);
    }

    /** libtorrent sends the same number as {@code key=%08X} over HTTP and as the 4-byte key over UDP. */
    @Test
    void aClientMovingFromHttpToUdpKeepsItsEntryWithTheSameKey() throws Exception {
        String query = "info_hash=0123456789abcdefghij&peer_id=-SB0001-ownerownerow&port=7000&left=0&event=started"
                + "&key=1A2B3C4D";
        service.announce(AnnounceRequest.parse(query, null, InetAddress.getByName("10.0.0.1"), false));
        assertThat(announce("10.0.0.2", PEER, KEY, 7000, UdpEvent.NONE, 0)).isInstanceOf(UdpResponse.Announced.class);
        assertThat(announce("10.0.0.1", PEER, 0x0badf00d, 7000, UdpEvent.NONE, 0)).isInstanceOf(UdpResponse.Error.class);
    }
}
