package simplebt.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static simplebt.metainfo.TestTorrents.dict;
import static simplebt.metainfo.TestTorrents.multiInfo;
import static simplebt.metainfo.TestTorrents.singleInfo;
import static simplebt.metainfo.TestTorrents.torrent;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeEncoder;

/** Valid torrents: every field BEP 3 and BEP 12 define comes out as written. */
class MetainfoParseTest {
    @Test
    void singleFileTorrentWithAllFields() throws Exception {
        Map<String, BValue> info = singleInfo();
        info.put("private", new BInt(1));
        byte[] data = BencodeEncoder.encode(BDict.builder()
                .put("announce", "http://t.example/announce")
                .put("announce-list", BList.of(
                        BList.of(BString.of("http://t.example/announce"), BString.of("http://backup/announce")),
                        BList.of(BString.of("udp://third:6969"))))
                .put("comment", "a comment")
                .put("created by", "test 1.0")
                .put("creation date", 1_700_000_000L)
                .put("info", dict(info))
                .build());

        Metainfo m = Metainfo.parse(data);

        assertThat(m.announce()).contains("http://t.example/announce");
        assertThat(m.announceList()).containsExactly(
                List.of("http://t.example/announce", "http://backup/announce"), List.of("udp://third:6969"));
        assertThat(m.trackers()).containsExactly("http://t.example/announce", "http://backup/announce", "udp://third:6969");
        assertThat(m.comment()).contains("a comment");
        assertThat(m.createdBy()).contains("test 1.0");
        assertThat(m.creationDate()).contains(Instant.ofEpochSecond(1_700_000_000L));
        Info i = m.info();
        assertThat(i.name()).isEqualTo("file.bin");
        assertThat(i.isPrivate()).isTrue();
        assertThat(i.multiFile()).isFalse();
        assertThat(i.pieceLength()).isEqualTo(16384);
        assertThat(i.pieceCount()).isEqualTo(3);
        assertThat(i.totalLength()).isEqualTo(40000);
        assertThat(i.files()).containsExactly(new FileEntry(List.of("file.bin"), 40000, 0));
        assertThat(i.relativePath(i.files().get(0))).containsExactly("file.bin");
        assertThat(m.raw()).isEqualTo(data);
    }

    @Test
    void optionalFieldsMayBeAbsent() throws Exception {
        Metainfo m = Metainfo.parse(BencodeEncoder.encode(BDict.builder().put("info", dict(singleInfo())).build()));
        assertThat(m.announce()).isEmpty();
        assertThat(m.announceList()).isEmpty();
        assertThat(m.trackers()).isEmpty();
        assertThat(m.comment()).isEmpty();
        assertThat(m.createdBy()).isEmpty();
        assertThat(m.creationDate()).isEmpty();
        assertThat(m.info().isPrivate()).isFalse();
    }

    @Test
    void privateMeansExactlyOne() throws Exception {
        Map<String, BValue> info = singleInfo();
        info.put("private", new BInt(0));
        assertThat(Metainfo.parse(torrent(info)).info().isPrivate()).isFalse();
    }

    @Test
    void singleAnnounceIsTheTrackerWhenThereIsNoList() throws Exception {
        assertThat(Metainfo.parse(torrent(singleInfo())).trackers()).containsExactly("http://127.0.0.1:8000/announce");
    }

    @Test
    void multiFileTorrentHasOffsetsAndPathsUnderTheName() throws Exception {
        Metainfo m = Metainfo.parse(torrent(multiInfo()));
        Info i = m.info();
        assertThat(i.multiFile()).isTrue();
        assertThat(i.name()).isEqualTo("folder");
        assertThat(i.files()).containsExactly(
                new FileEntry(List.of("a.txt"), 10000, 0),
                new FileEntry(List.of("empty"), 0, 10000),
                new FileEntry(List.of("sub", "b.bin"), 30000, 10000));
        assertThat(i.relativePath(i.files().get(2))).containsExactly("folder", "sub", "b.bin");
        assertThat(i.totalLength()).isEqualTo(40000);
    }

    @Test
    void lastPieceIsShorter() throws Exception {
        Info i = Metainfo.parse(torrent(singleInfo())).info();
        assertThat(i.pieceSize(0)).isEqualTo(16384);
        assertThat(i.pieceSize(1)).isEqualTo(16384);
        assertThat(i.pieceSize(2)).isEqualTo(40000 - 2 * 16384);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> i.pieceSize(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void pieceHashesAreSlicesOfPieces() throws Exception {
        Map<String, BValue> info = singleInfo();
        byte[] pieces = new byte[60];
        for (int k = 0; k < pieces.length; k++) {
            pieces[k] = (byte) k;
        }
        info.put("pieces", new BString(pieces));
        Info i = Metainfo.parse(torrent(info)).info();
        assertThat(i.pieceHash(1)).containsExactly(java.util.Arrays.copyOfRange(pieces, 20, 40));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> i.pieceHash(3)).isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> i.pieceHash(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void infoHashIsSha1OfTheRawInfoBytes() throws Exception {
        byte[] data = torrent(multiInfo());
        Metainfo m = Metainfo.parse(data);
        byte[] raw = BencodeDecoder.rawValue(data, "info");
        assertThat(m.rawInfo()).isEqualTo(raw);
        assertThat(m.infoHash().bytes()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(raw));
        assertThat(new String(data, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void unknownKeysInInfoChangeTheHashAndAreKept() throws Exception {
        // A hash over re-encoded known fields only would miss these (STYLE: not to imitate).
        Map<String, BValue> info = singleInfo();
        info.put("source", BString.of("SITE"));
        Metainfo with = Metainfo.parse(torrent(info));
        Metainfo without = Metainfo.parse(torrent(singleInfo()));
        assertThat(with.infoHash()).isNotEqualTo(without.infoHash());
        assertThat(BencodeEncoder.encode(with.root())).isEqualTo(with.raw());
    }

    @Test
    void parsedTorrentsReEncodeByteExact() throws Exception {
        for (byte[] data : List.of(torrent(singleInfo()), torrent(multiInfo()))) {
            Metainfo m = Metainfo.parse(data);
            assertThat(BencodeEncoder.encode(m.root())).isEqualTo(data);
        }
    }

    @Test
    void withAnnounceReplacesTheTrackerAndKeepsTheInfoHash() throws Exception {
        byte[] data = BencodeEncoder.encode(BDict.builder()
                .put("announce", "http://old/announce")
                .put("announce-list", BList.of(BList.of(BString.of("http://old/announce"))))
                .put("comment", "kept")
                .put("info", dict(multiInfo()))
                .build());
        Metainfo m = Metainfo.parse(data);

        Metainfo stamped = Metainfo.parse(m.withAnnounce("http://new/announce?passkey=p1"));

        assertThat(stamped.infoHash()).isEqualTo(m.infoHash());
        assertThat(stamped.rawInfo()).isEqualTo(m.rawInfo());
        assertThat(stamped.announce()).contains("http://new/announce?passkey=p1");
        assertThat(stamped.announceList()).isEmpty(); // no other tracker may receive the passkey
        assertThat(stamped.trackers()).containsExactly("http://new/announce?passkey=p1");
        assertThat(stamped.comment()).contains("kept");
    }

    @Test
    void withAnnounceAddsAnAnnounceWhereThereWasNone() throws Exception {
        Metainfo m = Metainfo.parse(BencodeEncoder.encode(BDict.builder().put("info", dict(singleInfo())).build()));
        Metainfo stamped = Metainfo.parse(m.withAnnounce("http://x/announce"));
        assertThat(stamped.announce()).contains("http://x/announce");
        assertThat(stamped.infoHash()).isEqualTo(m.infoHash());
    }

    @Test
    void announceListSkipsBlankAndNonStringEntries() throws Exception {
        byte[] data = BencodeEncoder.encode(BDict.builder()
                .put("announce-list", BList.of(
                        BList.of(BString.of(" "), new BInt(3)),
                        BList.of(BString.of("http://a/announce"), BString.of("http://a/announce")),
                        BString.of("not a tier")))
                .put("info", dict(singleInfo()))
                .build());
        Metainfo m = Metainfo.parse(data);
        assertThat(m.announceList()).containsExactly(List.of("http://a/announce", "http://a/announce"));
        assertThat(m.trackers()).containsExactly("http://a/announce");
    }

    @Test
    void infoHashHex() {
        InfoHash h = InfoHash.fromHex("0123456789abcdef0123456789ABCDEF01234567");
        assertThat(h.hex()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(h).isEqualTo(new InfoHash(h.bytes()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InfoHash.fromHex("0123"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("an info hash is 40 hex digits");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InfoHash.fromHex("g".repeat(40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("an info hash is 40 hex digits");
    }
}
