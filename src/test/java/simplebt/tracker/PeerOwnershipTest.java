package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import simplebt.bencode.BDict;
import simplebt.bencode.BencodeDecoder;
import simplebt.metainfo.Metainfo;

/**
 * Peer ids are public (handshakes, compact=0 lists); over real HTTP, another member who knows
 * alice's peer id can neither drop her entry nor point it elsewhere, and made-up peer ids
 * neither inflate the completed count nor each cost a disk write.
 */
class PeerOwnershipTest {
    private static final String ALICE_ID = "-SB0001-aliceeeeeeee";
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private TrackerServer server;
    private TrackerHttp http;
    private String hash;
    private String hex;
    private String alice;
    private String mallory;
    private String aliceToken;

    private TrackerConfig config() {
        return TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0).withPasswordIterations(1000);
    }

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.start(config(), clock::get);
        http = new TrackerHttp(server.baseUrl());
        aliceToken = http.signupAndLogin("alice");
        String malloryToken = http.signupAndLogin("mallory");
        byte[] torrent = TestTorrents.singleFile("film.mkv", 100_000);
        http.post("/api/torrents", aliceToken, "application/x-bittorrent", torrent);
        hex = Metainfo.parse(torrent).infoHash().hex();
        hash = TrackerHttp.escape(Metainfo.parse(torrent).infoHash().bytes());
        alice = http.get("/api/me", aliceToken).field("passkey");
        mallory = http.get("/api/me", malloryToken).field("passkey");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private BDict announce(String passkey, String peerId, int port, String rest) throws Exception {
        TrackerHttp.Reply r = http.get("/announce/" + passkey + "?info_hash=" + hash + "&peer_id=" + peerId + "&port=" + port
                + rest, null);
        assertThat(r.status()).isEqualTo(200);
        return (BDict) BencodeDecoder.decode(r.body());
    }

    @Test
    void anotherMemberCannotStopOrMoveAlicesPeer() throws Exception {
        announce(alice, ALICE_ID, 7000, "&left=0&event=started&key=a1b2c3d4");
        BDict stop = announce(mallory, ALICE_ID, 6666, "&left=0&event=stopped");
        assertThat(stop.integer("complete")).contains(1L);
        BDict move = announce(mallory, ALICE_ID, 6666, "&left=0");
        assertThat(move.text("failure reason")).get().asString().contains("in use by another client");
        // A leecher is still sent to alice's port 7000 (0x1b58).
        BDict leecher = announce(mallory, "-SB0001-mallorymallo", 6666, "&left=10&event=started");
        assertThat(leecher.string("peers")).get().satisfies(p -> assertThat(p.bytes()).containsExactly(127, 0, 0, 1, 0x1b, 0x58));
        // alice herself stops with her key.
        announce(alice, ALICE_ID, 7000, "&left=0&event=stopped&key=a1b2c3d4");
        assertThat(announce(mallory, "-SB0001-mallorymallo", 6666, "&left=10").integer("complete")).contains(0L);
    }

    @Test
    void madeUpPeerIdsCountOnceAndAreNotWrittenPerAnnounce() throws Exception {
        Path entry = dir.resolve("torrents").resolve(hex + ".json");
        String before = Files.readString(entry);
        for (int i = 0; i < 50; i++) {
            announce(mallory, String.format("-XX0001-%012d", i), 6000 + i % 8, "&left=0&event=completed");
            announce(mallory, String.format("-XX0001-%012d", i), 6000 + i % 8, "&left=0&event=stopped");
        }
        assertThat(http.get("/api/torrents/" + hex, aliceToken).json().getAsJsonObject().get("completed").getAsLong())
                .isEqualTo(1);
        assertThat(Files.readString(entry)).as("no disk write per announce").isEqualTo(before);
        server.close(); // a clean stop writes what is in memory
        JsonObject stored = JsonParser.parseString(Files.readString(entry)).getAsJsonObject();
        assertThat(stored.get("completed").getAsLong()).isEqualTo(1);
        server = TrackerServer.start(config(), clock::get);
        http = new TrackerHttp(server.baseUrl());
        announce(mallory, "-XX0001-againagainag", 6000, "&left=0&event=completed");
        String token = http.postJson("/api/login", null, "{\"username\":\"alice\",\"password\":\"correct horse\"}").field("token");
        assertThat(http.get("/api/torrents/" + hex, token).json().getAsJsonObject().get("completed").getAsLong())
                .as("still once per user after a restart").isEqualTo(1);
    }

    @Test
    void onePasskeyHoldsAtMostEightPeersInASwarm() throws Exception {
        for (int i = 0; i < Swarms.DEFAULT_MAX_PER_OWNER_PER_SWARM; i++) {
            assertThat(announce(mallory, String.format("-XX0001-%012d", i), 6000, "&left=10").has("failure reason")).isFalse();
        }
        assertThat(announce(mallory, "-XX0001-onetoomanyyy", 6000, "&left=10").text("failure reason")).get().asString()
                .contains("you have 8 peers in this swarm already (this passkey)");
        assertThat(announce(alice, ALICE_ID, 7000, "&left=0").has("failure reason")).isFalse();
    }
}
