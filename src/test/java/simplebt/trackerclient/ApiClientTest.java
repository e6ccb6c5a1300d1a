package simplebt.trackerclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.tracker.TestTorrents;
import simplebt.tracker.TrackerConfig;
import simplebt.tracker.TrackerServer;

class ApiClientTest {
    @TempDir
    Path dir;
    private TrackerServer server;
    private ApiClient anonymous;

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.start(TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0).withPasswordIterations(1000));
        anonymous = new ApiClient(server.baseUrl(), null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void wholeAccountAndTorrentFlow() throws Exception {
        anonymous.signup("alice", "correct horse");
        ApiRecords.Login login = anonymous.login("alice", "correct horse");
        assertThat(login.username()).isEqualTo("alice");
        ApiClient alice = anonymous.withToken(login.token());
        ApiRecords.Me me = alice.me();
        assertThat(me.username()).isEqualTo("alice");
        assertThat(me.announceUrl()).endsWith("/announce?passkey=" + me.passkey());

        byte[] torrent = TestTorrents.singleFile("song.flac", 70_000);
        ApiRecords.Torrent up = alice.upload(torrent);
        assertThat(up.infoHash()).isEqualTo(Metainfo.parse(torrent).infoHash().hex());
        assertThat(up.isPrivate()).isFalse();
        assertThat(alice.list()).extracting(ApiRecords.Torrent::name).containsExactly("song.flac");
        // A private tracker lists torrents to members only.
        assertThatThrownBy(anonymous::list).isInstanceOf(TrackerApiException.class)
                .extracting(e -> ((TrackerApiException) e).status()).isEqualTo(401);
        ApiRecords.Torrent details = alice.details(up.infoHash());
        assertThat(details.size()).isEqualTo(70_000);
        assertThat(details.uploader()).isEqualTo("alice");
        assertThat(details.uploadedAt()).isNotNull();
        Metainfo stamped = Metainfo.parse(alice.downloadTorrent(up.infoHash()));
        assertThat(stamped.announce()).contains(me.announceUrl());
        assertThat(stamped.infoHash().hex()).isEqualTo(up.infoHash());
        assertThat(anonymous.stats().torrents()).isEqualTo(1);
        assertThat(anonymous.stats().users()).isEqualTo(1);

        alice.logout();
        assertThatThrownBy(alice::me).isInstanceOf(TrackerApiException.class)
                .hasMessage("login token is invalid or expired: log in again");
    }

    @Test
    void surfacesTheServersErrorText() throws Exception {
        assertThatThrownBy(() -> anonymous.signup("x", "correct horse"))
                .isInstanceOf(TrackerApiException.class)
                .hasMessageStartingWith("username must be 3-32 characters")
                .extracting(e -> ((TrackerApiException) e).status()).isEqualTo(400);
        anonymous.signup("alice", "correct horse");
        assertThatThrownBy(() -> anonymous.login("alice", "nope nope"))
                .hasMessage("wrong username or password");
        assertThatThrownBy(() -> anonymous.upload(TestTorrents.singleFile("a", 1)))
                .extracting(e -> ((TrackerApiException) e).status()).isEqualTo(401);
        ApiClient alice = anonymous.withToken(anonymous.login("alice", "correct horse").token());
        assertThatThrownBy(() -> alice.details("0".repeat(40)))
                .hasMessage("no torrent with info hash " + "0".repeat(40));
        assertThatThrownBy(() -> anonymous.details("zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saysWhenTheTrackerIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ApiClient nowhere = new ApiClient("http://127.0.0.1:" + port, null);
        assertThatThrownBy(nowhere::list).isInstanceOf(TrackerApiException.class)
                .hasMessageContaining("cannot reach the tracker at http://127.0.0.1:" + port);
        assertThatThrownBy(() -> new ApiClient("ftp://x", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://HOST:PORT");
    }
}
