package simplebt.trackerclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import simplebt.bencode.BDict;
import simplebt.bencode.BList;
import simplebt.bencode.BencodeEncoder;
import simplebt.metainfo.InfoHash;
import simplebt.trackerclient.AnnounceRequest.Event;

class AnnounceClientTest {
    private static final InfoHash HASH = InfoHash.fromHex("00ff2041" + "7e".repeat(16));
    private static final byte[] PEER_ID = "-SB0001-\u0000\u0001 ~abcdefgh".getBytes(StandardCharsets.ISO_8859_1);

    private HttpServer server;
    private final AtomicReference<String> lastQuery = new AtomicReference<>();
    private final AnnounceClient client = new AnnounceClient(Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        client.close();
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(BDict reply) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/", ex -> {
            lastQuery.set(ex.getRequestURI().getRawQuery());
            byte[] body = BencodeEncoder.encode(reply);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/announce?passkey=abc";
    }

    private AnnounceRequest request(Event event) {
        return new AnnounceRequest(HASH, PEER_ID, 6881, 10, 20, 30, event, 50);
    }

    @Test
    void sendsBinaryFieldsPercentEncodedByte() throws Exception {
        String url = serve(BDict.builder().put("interval", 1800).put("peers", new byte[0]).build());
        client.announce(url, request(Event.STARTED));
        assertThat(lastQuery.get()).isEqualTo("passkey=abc&info_hash=%00%FF%20A" + "~".repeat(16)
                + "&peer_id=-SB0001-%00%01%20~abcdefgh&port=6881&uploaded=10&downloaded=20&left=30&compact=1"
                + "&numwant=50&event=started");
        client.announce(url, request(Event.NONE));
        assertThat(lastQuery.get()).doesNotContain("event=");
    }

    @Test
    void parsesCompactPeersAndOurExtensions() throws Exception {
        byte[] secret = new byte[32];
        secret[0] = 7;
        String url = serve(BDict.builder().put("interval", 900).put("min interval", 60).put("complete", 3)
                .put("incomplete", 4)
                .put("peers", new byte[] {127, 0, 0, 1, 0x1a, (byte) 0xe1, 10, 0, 0, 2, 0, 80})
                .put("sbt secret", secret).put("sbt peers", new byte[] {127, 0, 0, 1, 0x1a, (byte) 0xe1}).build());
        AnnounceResponse r = client.announce(url, request(Event.NONE));
        assertThat(r.interval()).isEqualTo(900);
        assertThat(r.minInterval()).contains(60);
        assertThat(r.complete()).contains(3);
        assertThat(r.incomplete()).contains(4);
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6881), new InetSocketAddress("10.0.0.2", 80));
        assertThat(r.swarmSecret()).hasValueSatisfying(s -> assertThat(s).isEqualTo(secret));
        assertThat(r.securePeers()).containsExactly(new InetSocketAddress("127.0.0.1", 6881));
    }

    @Test
    void parsesDictionaryPeers() throws Exception {
        String url = serve(BDict.builder().put("interval", 60).put("peers", BList.of(
                BDict.builder().put("ip", "127.0.0.1").put("port", 51413).put("peer id", "x".repeat(20)).build())).build());
        assertThat(client.announce(url, request(Event.NONE)).peers()).containsExactly(new InetSocketAddress("127.0.0.1", 51413));
    }

    @Test
    void failureReasonBecomesTheExceptionText() throws Exception {
        String url = serve(BDict.builder().put("failure reason", "unregistered torrent").build());
        assertThatThrownBy(() -> client.announce(url, request(Event.STARTED)))
                .isInstanceOf(AnnounceException.class).hasMessage("unregistered torrent")
                .matches(e -> ((AnnounceException) e).trackerRefused());
    }

    @Test
    void unreachableTrackerIsAnAnnounceException() {
        assertThatThrownBy(() -> client.announce("http://127.0.0.1:1/announce", request(Event.STARTED)))
                .isInstanceOf(AnnounceException.class)
                .hasMessage("tracker unreachable: cannot connect (refused or no route)"); // not a bare class name
    }

    @Test
    void scrapeUsesTheBep48Url() throws Exception {
        BDict files = new BDict(new java.util.TreeMap<>(java.util.Map.of(simplebt.bencode.BString.of(HASH.bytes()),
                BDict.builder().put("complete", 2).put("downloaded", 5).put("incomplete", 1).build())));
        String url = serve(BDict.builder().put("files", files).build());
        assertThat(client.scrape(url, HASH)).contains(new AnnounceClient.ScrapeResult(2, 5, 1));
        assertThat(lastQuery.get()).startsWith("passkey=abc&info_hash=%00%FF");
    }
}
