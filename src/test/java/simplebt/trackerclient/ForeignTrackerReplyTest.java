package simplebt.trackerclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.metainfo.InfoHash;
import simplebt.trackerclient.AnnounceRequest.Event;

/**
 * Replies as other programs' trackers send them (issue 14): exact bytes on the wire, read by the
 * real client over HTTP. BEP 3 asks for sorted keys and says nothing of what follows the value;
 * common trackers end with a newline or keep their own key order, and IPv6 peers come in
 * {@code peers6} (BEP 7), which our own tracker sends too.
 */
@Timeout(30)
class ForeignTrackerReplyTest {
    private static final AnnounceRequest REQUEST = new AnnounceRequest(InfoHash.fromHex("cd".repeat(20)),
            "-SJ0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII), 6881, 0, 0, 1, Event.STARTED, 50);

    private static AnnounceResponse announce(byte[] reply) throws Exception {
        try (RawHttpServer tracker = RawHttpServer.fixed(reply); AnnounceClient client = new AnnounceClient(Duration.ofSeconds(10))) {
            return client.announce(tracker.url("/announce"), REQUEST);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void replyEndingInANewlineIsRead() throws Exception {
        AnnounceResponse r = announce(ascii("d8:intervali900e5:peers6:\u007f\u0000\u0000\u0001\u001a\u00e1e\n"));
        assertThat(r.interval()).isEqualTo(900);
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6881));
    }

    @Test
    void replyWithUnsortedKeysIsRead() throws Exception {
        // interval, peers, complete, incomplete: the order some trackers write them in
        AnnounceResponse r = announce(ascii("d8:intervali1800e5:peers0:8:completei5e10:incompletei2ee"));
        assertThat(r.interval()).isEqualTo(1800);
        assertThat(r.complete()).contains(5);
        assertThat(r.incomplete()).contains(2);
    }

    @Test
    void peers6EntriesAreParsedAndJoinThePeerList() throws Exception {
        ByteArrayOutputStream v6 = new ByteArrayOutputStream();
        v6.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1a, (byte) 0xe1}); // ::1 port 6881
        v6.writeBytes(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 80}); // 2001:db8::2 port 80
        v6.writeBytes(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0}); // port 0: skipped
        v6.writeBytes(new byte[] {1, 2, 3}); // a partial entry: skipped
        byte[] list = v6.toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ascii("d8:intervali60e5:peers6:\n\u0000\u0000\u0001\u0000\u0050" + "6:peers6" + list.length + ":"));
        body.writeBytes(list);
        body.write('e');
        AnnounceResponse r = announce(body.toByteArray());
        assertThat(r.peers()).containsExactly(new InetSocketAddress("10.0.0.1", 80),
                new InetSocketAddress("::1", 6881), new InetSocketAddress("2001:db8::2", 80));
    }
}
