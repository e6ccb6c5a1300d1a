package simplebt.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class ExternalIpTest {
    @Test
    void externalAddressIsTakenOnlyWhenThreeNodesAgree() throws Exception {
        ExternalIp ip = new ExternalIp();
        InetAddress claimed = InetAddress.getByName("124.31.75.21");
        InetAddress liar = InetAddress.getByName("10.0.0.1");
        ip.vote(claimed, liar);
        ip.vote(claimed, liar);
        ip.vote(claimed, InetAddress.getByName("10.0.0.2"));
        assertThat(ip.get()).as("two voters are not enough").isNull();
        ip.vote(claimed, InetAddress.getByName("10.0.0.3"));
        assertThat(ip.get()).isEqualTo(claimed);
        ip.vote(InetAddress.getLoopbackAddress(), liar);
        assertThat(ip.get()).isEqualTo(claimed);
    }

    @Test
    void privateAndLoopbackAddressesAreNeverTaken() throws Exception {
        ExternalIp ip = new ExternalIp();
        for (int voter = 1; voter <= 3; voter++) {
            ip.vote(InetAddress.getByName("192.168.1.9"), InetAddress.getByName("10.0.0." + voter));
            ip.vote(InetAddress.getLoopbackAddress(), InetAddress.getByName("10.0.0." + voter));
        }
        assertThat(ip.get()).isNull();
    }
}
