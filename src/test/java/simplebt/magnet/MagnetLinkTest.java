package simplebt.magnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import simplebt.metainfo.InfoHash;

class MagnetLinkTest {
    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    // the same 20 bytes in RFC 4648 base32
    private static final String B32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";

    @Test
    void hexAndBase32NameTheSameInfoHash() throws Exception {
        assertThat(MagnetLink.parse("magnet:?xt=urn:btih:" + HEX).infoHash()).isEqualTo(InfoHash.fromHex(HEX));
        assertThat(MagnetLink.parse("magnet:?xt=urn:btih:" + B32).infoHash()).isEqualTo(InfoHash.fromHex(HEX));
        assertThat(MagnetLink.parse("MAGNET:?xt=URN:BTIH:" + HEX.toUpperCase()).infoHash()).isEqualTo(InfoHash.fromHex(HEX));
        assertThat(MagnetLink.parse("magnet:?xt=urn:btih:" + B32.toLowerCase()).infoHash()).isEqualTo(InfoHash.fromHex(HEX));
    }

    @Test
    void readsNameTrackersAndPeersPercentDecoded() throws Exception {
        MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + HEX + "&dn=My+File%20%C3%A9.iso"
                + "&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce&tr=udp://t.example:80&tr.2=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce"
                + "&x.pe=127.0.0.1:6881&x.pe=%5B%3A%3A1%5D:6882&x.pe=peer.example:7000&ws=http://ignored");
        assertThat(link.name()).contains("My File é.iso");
        assertThat(link.trackers()).containsExactly("http://127.0.0.1:6969/announce", "udp://t.example:80");
        assertThat(link.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6881),
                new InetSocketAddress("::1", 6882), InetSocketAddress.createUnresolved("peer.example", 7000));
    }

    @Test
    void roundTripsThroughItsText() throws Exception {
        MagnetLink link = new MagnetLink(InfoHash.fromHex(HEX), Optional.of("a b&c=d/é"),
                List.of("http://h:1/announce?x=1&y=2"), List.of(new InetSocketAddress("10.0.0.1", 5)));
        assertThat(link.toUri()).startsWith("magnet:?xt=urn:btih:" + HEX + "&dn=a%20b%26c%3Dd%2F%C3%A9&tr=http%3A%2F%2F");
        assertThat(MagnetLink.parse(link.toUri())).isEqualTo(link);
    }

    /** libtorrent takes an x.pe value as it stands: "10.0.0.1%3A5" was no peer to it (MagnetIT#libtorrentDownloadsByMagnetLinkWithXpeNamingUs). */
    @Test
    void xpePeersKeepTheirColonsAndBrackets() throws Exception {
        MagnetLink link = new MagnetLink(InfoHash.fromHex(HEX), Optional.empty(), List.of(),
                List.of(new InetSocketAddress("10.0.0.1", 5), new InetSocketAddress("::1", 6881)));
        assertThat(link.toUri()).isEqualTo("magnet:?xt=urn:btih:" + HEX + "&x.pe=10.0.0.1:5&x.pe=[0:0:0:0:0:0:0:1]:6881");
        assertThat(MagnetLink.parse(link.toUri())).isEqualTo(link);
    }

    @Test
    void theSameInfoHashTwiceIsFineTwoDifferentOnesAreNot() throws Exception {
        assertThat(MagnetLink.parse("magnet:?xt=urn:btih:" + HEX + "&xt=urn:btih:" + B32).infoHash())
                .isEqualTo(InfoHash.fromHex(HEX));
        assertThatThrownBy(() -> MagnetLink.parse("magnet:?xt=urn:btih:" + HEX + "&xt=urn:btih:" + "0".repeat(40)))
                .isInstanceOf(MagnetException.class).hasMessage("magnet link names two different info hashes (xt)");
    }

    @Test
    void eachBadPartGetsItsOwnLine() {
        assertError("http://x", "not a magnet link: it must start with 'magnet:?'");
        assertError("magnet:?dn=x", "magnet link has no info hash (xt=urn:btih:...)");
        assertError("magnet:?xt=urn:btmh:1220" + "a".repeat(64), "magnet link has no BitTorrent v1 info hash (xt=urn:btih:...); only v1 is supported");
        assertError("magnet:?xt=urn:btih:" + HEX.substring(1), "magnet link info hash (xt) must be 40 hex or 32 base32 characters, got 39");
        assertError("magnet:?xt=urn:btih:" + "g" + HEX.substring(1), "magnet link info hash (xt) is not hexadecimal at character 1");
        assertError("magnet:?xt=urn:btih:" + B32.substring(0, 31) + "1", "magnet link info hash (xt) is not base32 at character 32");
        assertError("magnet:?xt=urn:btih:" + HEX + "&dn=%zz", "magnet link dn has a bad percent-encoding at character 1");
        assertError("magnet:?xt=urn:btih:" + HEX + "&dn=%C3", "magnet link dn is not UTF-8 text");
        assertError("magnet:?xt=urn:btih:" + HEX + "&dn=a&dn=b", "magnet link has more than one name (dn)");
        assertError("magnet:?xt=urn:btih:" + HEX + "&x.pe=127.0.0.1", "magnet link peer (x.pe) '127.0.0.1' must be host:port");
        assertError("magnet:?xt=urn:btih:" + HEX + "&x.pe=127.0.0.1:70000", "magnet link peer (x.pe) '127.0.0.1:70000' has no valid port (1-65535)");
        assertError("magnet:?xt=urn:btih:" + HEX + "&x.pe=300.0.0.1:80", "magnet link peer (x.pe) '300.0.0.1:80' is not a valid address");
        assertError("magnet:?xt=urn:btih:" + HEX + "&x.pe=a%20b:80", "magnet link peer (x.pe) 'a b:80' is not a valid address");
        assertError("magnet:?xt=urn:btih:" + HEX + "&junk", "magnet link parameter 'junk' has no name=value");
    }

    @Test
    void hostileSizesAreRefusedBeforeAnyWork() {
        assertError("magnet:?xt=urn:btih:" + HEX + "&dn=" + "a".repeat(MagnetLink.MAX_LENGTH),
                "magnet link is too long (" + (MagnetLink.MAX_LENGTH + 64) + " characters, at most " + MagnetLink.MAX_LENGTH + ")");
        StringBuilder trackers = new StringBuilder("magnet:?xt=urn:btih:" + HEX);
        for (int i = 0; i <= MagnetLink.MAX_TRACKERS; i++) {
            trackers.append("&tr=http://t").append(i).append("/a");
        }
        assertError(trackers.toString(), "magnet link has more than 100 trackers (tr)");
        assertError("magnet:?" + "&".repeat(600) + "xt=urn:btih:" + HEX, "magnet link has too many parameters (601, at most 500)");
        StringBuilder peers = new StringBuilder("magnet:?xt=urn:btih:" + HEX);
        for (int i = 0; i <= MagnetLink.MAX_PEERS; i++) {
            peers.append("&x.pe=10.0.0.1:").append(1000 + i);
        }
        assertError(peers.toString(), "magnet link has more than 100 peers (x.pe)");
    }

    @Test
    void controlCharactersInAnErrorAreNotPrinted() {
        assertError("magnet:?xt=urn:btih:" + HEX + "&x.pe=%1B%5B2J:80", "magnet link peer (x.pe) '?[2J:80' is not a valid address");
    }

    private static void assertError(String uri, String message) {
        assertThatThrownBy(() -> MagnetLink.parse(uri)).isInstanceOf(MagnetException.class).hasMessage(message);
    }
}
