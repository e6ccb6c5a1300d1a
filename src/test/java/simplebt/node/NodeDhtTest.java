package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.dht.DhtOptions;

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
}
