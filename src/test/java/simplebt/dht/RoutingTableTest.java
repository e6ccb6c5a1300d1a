package simplebt.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Random random = new Random(42);
    private final NodeId self = NodeId.random(random);
    private final RoutingTable table = new RoutingTable(self, now::get);
    private int port = 10_000;

    private NodeInfo node(NodeId id) {
        return new NodeInfo(id, new InetSocketAddress("127.0.0.1", port++));
    }

    /** A node sharing exactly {@code prefix} leading bits with us. */
    private NodeInfo at(int prefix) {
        return node(self.randomWithPrefix(prefix, random));
    }

    @Test
    void onlyTheBucketHoldingOurIdSplits() {
        for (int i = 0; i < 8; i++) {
            table.seen(at(0), true); // far half: fills the first bucket
        }
        assertThat(table.bucketCount()).isEqualTo(1);
        table.seen(at(0), true); // ninth far node: the single bucket holds our id, so it splits
        assertThat(table.bucketCount()).isEqualTo(2);
        assertThat(table.size()).isEqualTo(8); // the far bucket is full; the newcomer waits as a replacement
        for (int i = 0; i < 20; i++) {
            table.seen(at(0), true);
        }
        assertThat(table.bucketCount()).isEqualTo(2); // a full far bucket never splits again
        for (int i = 0; i < 8; i++) {
            table.seen(at(1), true);
            table.seen(at(2), true);
        }
        assertThat(table.size()).isEqualTo(24);
        assertThat(table.bucketCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void nodesTurnQuestionableAfter15MinutesAndBadAfterFailuresThenAReplacementTakesTheirPlace() {
        List<NodeInfo> first = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            NodeInfo n = at(0);
            first.add(n);
            table.seen(n, true);
        }
        table.seen(at(5), true); // splits
        assertThat(table.state(first.get(0).id())).contains(RoutingTable.State.GOOD);
        now.addAndGet(RoutingTable.GOOD_MILLIS);
        assertThat(table.state(first.get(0).id())).contains(RoutingTable.State.QUESTIONABLE);
        NodeInfo newcomer = at(0);
        assertThat(table.seen(newcomer, true)).as("a full bucket asks us to ping a questionable node").isPresent();
        assertThat(table.closest(newcomer.id(), 100)).doesNotContain(newcomer);
        NodeInfo victim = first.get(3);
        table.failed(victim.id());
        assertThat(table.closest(newcomer.id(), 100)).contains(victim);
        table.failed(victim.id());
        assertThat(table.closest(newcomer.id(), 100)).doesNotContain(victim).contains(newcomer);
    }

    @Test
    void closestIsSortedByXorDistance() {
        for (int i = 0; i < 40; i++) {
            table.seen(node(NodeId.random(random)), true);
        }
        NodeId target = NodeId.random(random);
        List<NodeInfo> c = table.closest(target, 8);
        assertThat(c).hasSize(8);
        for (int i = 1; i < c.size(); i++) {
            assertThat(target.compareDistance(c.get(i - 1).id(), c.get(i).id())).isNegative();
        }
        for (NodeInfo other : table.all()) {
            if (!c.contains(other)) {
                assertThat(target.compareDistance(c.get(7).id(), other.id())).isNegative();
            }
        }
    }

    @Test
    void bucketsUnchangedFor15MinutesAskForARefreshInTheirRange() {
        for (int i = 0; i < 9; i++) {
            table.seen(at(0), true);
        }
        assertThat(table.refreshTargets(random)).isEmpty();
        now.addAndGet(RoutingTable.GOOD_MILLIS);
        List<NodeId> targets = table.refreshTargets(random);
        assertThat(targets).hasSize(2);
        assertThat(self.commonPrefix(targets.get(0))).isZero();
        assertThat(self.commonPrefix(targets.get(1))).isGreaterThanOrEqualTo(1);
        assertThat(table.refreshTargets(random)).isEmpty();
    }

    @Test
    void hearsayCannotMoveAKnownIdToAnotherAddress() {
        NodeInfo n = at(0);
        table.seen(n, true);
        table.seen(new NodeInfo(n.id(), new InetSocketAddress("127.0.0.1", 1)), false);
        assertThat(table.all()).containsExactly(n);
    }

    @Test
    void publicAddressesNeedABep42IdWhileLoopbackAndPrivateOnesAreExempt() throws Exception {
        java.net.InetAddress publicIp = java.net.InetAddress.getByName("124.31.75.21");
        NodeInfo forged = new NodeInfo(NodeId.random(random), new InetSocketAddress(publicIp, 6881));
        NodeInfo honest = new NodeInfo(Bep42.idFor(publicIp, random), new InetSocketAddress(publicIp, 6882));
        NodeInfo lan = new NodeInfo(NodeId.random(random), new InetSocketAddress("192.168.1.9", 6881));
        table.seen(forged, true);
        table.seen(honest, true);
        table.seen(lan, true);
        assertThat(table.all()).containsExactlyInAnyOrder(honest, lan);
    }
}
