package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DialerTest {
    private final List<InetSocketAddress> dialed = new ArrayList<>();
    private Dialer dialer;

    /** Every dial fails at once, as it does while every connection slot is taken. */
    private Dialer failingDialer() {
        dialer = new Dialer(a -> {
            dialed.add(a);
            dialer.finished(a, false, false);
        });
        return dialer;
    }

    private static InetSocketAddress address(int i) {
        return new InetSocketAddress("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 6881);
    }

    @Test
    void addressesFromTheNetworkAreBoundedWhileNothingCanBeDialed() {
        Dialer d = failingDialer();
        for (int i = 0; i < 3 * Dialer.MAX_KNOWN; i++) {
            d.add(address(i), false); // e.g. PEX messages from peers that reconnect for a fresh allowance
        }
        assertThat(d.size()).isEqualTo(Dialer.MAX_KNOWN);
    }

    @Test
    void aFullListForgetsItsOldestButNeverAGivenPeer() {
        Dialer d = failingDialer();
        InetSocketAddress given = new InetSocketAddress("127.0.0.1", 7000);
        d.add(given, true);
        for (int i = 0; i < 2 * Dialer.MAX_KNOWN; i++) {
            d.add(address(i), false);
        }
        dialed.clear();
        d.add(given, true); // known still: not dialed again by add (it waits for its back-off)
        d.add(address(0), false); // forgotten long ago: new again, so dialed at once
        assertThat(dialed).containsExactly(address(0));
        assertThat(d.size()).isEqualTo(Dialer.MAX_KNOWN);
    }
}
