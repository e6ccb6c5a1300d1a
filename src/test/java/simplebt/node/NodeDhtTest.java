package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.dht.DhtOptions;
import simplebt.metainfo.InfoHash;

class NodeDhtTest {
    private static NodeDht.Settings settings(String... argv) throws Exception {
        return NodeDht.settings(Args.parse(List.of(argv), SessionArgs.valued(), SessionArgs.flags()));
    }

    @Test
    void dhtIsOnByDefaultAndNoDhtTurnsItOff() throws Exception {
        assertThat(settings().on()).isTrue();
        assertThat(settings().port()).as("the listen port").isEqualTo(-1);
        assertThat(settings("--no-dht").on()).isFalse();
        assertThat(settings("--dht", "--dht-port", "7000").port()).isEqualTo(7000);
    }

    @Test
    void bootstrapNodesAreRepeatableHostPorts() throws Exception {
        assertThat(settings("--dht-bootstrap", "127.0.0.1:6881", "--dht-bootstrap", "[::1]:7000").bootstrap())
                .containsExactly(InetSocketAddress.createUnresolved("127.0.0.1", 6881), InetSocketAddress.createUnresolved("::1", 7000));
        assertThatThrownBy(() -> settings("--dht-bootstrap", "router"))
                .isInstanceOf(UsageException.class).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> settings("--dht-bootstrap", "host:99999")).isInstanceOf(UsageException.class);
    }

    @Test
    void theDefaultRoutersGiveWayToTheEnvironment() throws Exception {
        assertThat(NodeDht.defaults(null)).isEqualTo(DhtOptions.ROUTERS);
        assertThat(NodeDht.defaults("none")).isEmpty();
        assertThat(NodeDht.defaults("a:1,b:2")).containsExactly(InetSocketAddress.createUnresolved("a", 1),
                InetSocketAddress.createUnresolved("b", 2));
        assertThat(DhtOptions.ROUTERS).extracting(InetSocketAddress::getHostString)
                .containsExactly("router.bittorrent.com", "dht.transmissionbt.com", "router.utorrent.com");
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InfoHash HASH = new InfoHash(new byte[20]);

    /** On, on a UDP port of loopback free a moment ago, joining nothing. */
    private static NodeDht.Settings onAFreePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            return new NodeDht.Settings(true, probe.getLocalPort(), List.of());
        }
    }

    /** True while a DHT node holds the port: it cannot be bound again. */
    private static boolean inUse(int udpPort) {
        try (DatagramSocket probe = new DatagramSocket(udpPort, LOOPBACK)) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    @Test
    void aPublicTorrentReusesTheDhtTheMagnetFetchOpened(@TempDir Path dir) throws IOException {
        NodeDht.Settings on = onAFreePort();
        try (NodeDht fetched = NodeDht.start(on, LOOPBACK, 0, dir)) {
            assertThat(NodeDht.reuseOrStart(fetched, true, on, LOOPBACK, 0, dir)).isSameAs(fetched);
            assertThat(inUse(on.port())).as("still open").isTrue();
        }
    }

    @Test
    void onlyPrivateTorrentsCloseTheFetchedDhtAndOpenNone(@TempDir Path dir) throws IOException {
        NodeDht.Settings on = onAFreePort();
        NodeDht fetched = NodeDht.start(on, LOOPBACK, 0, dir);
        assertThat(inUse(on.port())).isTrue();
        try (NodeDht dht = NodeDht.reuseOrStart(fetched, false, on, LOOPBACK, 0, dir)) {
            assertThat(inUse(on.port())).as("the fetch's node is closed and no other opened").isFalse();
            assertThat(dht.lookup(HASH)).as("the DHT is off").isNull();
        }
        try (NodeDht none = NodeDht.reuseOrStart(null, false, on, LOOPBACK, 0, dir)) {
            assertThat(inUse(on.port())).as("no fetch: still none for private torrents").isFalse();
        }
    }

    @Test
    void withoutAFetchAPublicTorrentStartsItsOwnDht(@TempDir Path dir) throws IOException {
        NodeDht.Settings on = onAFreePort();
        try (NodeDht dht = NodeDht.reuseOrStart(null, true, on, LOOPBACK, 0, dir)) {
            assertThat(inUse(on.port())).isTrue();
            assertThat(dht.lookup(HASH)).isNotNull();
        }
    }
}
